import type { YogaServerOptions } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

type CacheOptions = Exclude<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['parserAndValidationCache'], boolean | undefined>;

/** Longest document text that is remembered once parsed; a longer one is parsed again each time it comes. */
export const MAX_CACHED_DOCUMENT_CHARS = 16_384;

/**
 * Memory of a parsed document per character of its text, measured on dense
 * documents (tokens, AST nodes, locations): ~100 bytes. A comment costs far
 * less, but no client needs a long comment remembered.
 */
const BYTES_PER_CHARACTER = 100;

const HOUR_MS = 3_600_000;

/**
 * Yoga's parse cache, bounded by memory. Yoga's own keeps 1,024 documents of
 * any size for an hour (syntax errors too), and comments are not tokens, so
 * `{ __typename }` after a 990 KB comment passed every limit and stayed:
 * 2,000 distinct ones took the process to 2 GB. Here a document over
 * MAX_CACHED_DOCUMENT_CHARS is never kept, and the kept ones are evicted
 * (least recently used first) beyond `documentBytes` of estimated memory.
 * Validation results hang off the parsed documents (a WeakMap in Yoga), so
 * they go with them.
 */
export function boundedParseCache(documentBytes = 64 * 1024 * 1024, errorBytes = 8 * 1024 * 1024): CacheOptions {
  return { documentCache: byMemory(documentBytes), errorCache: byMemory(errorBytes) };
}

function byMemory<V extends object>(maxBytes: number): LRUCache<string, V> {
  return new LRUCache<string, V>({
    max: 1024,
    ttl: HOUR_MS,
    maxSize: maxBytes,
    maxEntrySize: MAX_CACHED_DOCUMENT_CHARS * BYTES_PER_CHARACTER,
    // lru-cache refuses (does not store) an entry over maxEntrySize.
    sizeCalculation: (_value, text) => Math.max(1, text.length * BYTES_PER_CHARACTER),
  });
}
