import { LRUCache } from 'lru-cache';
import type { CacheStore, StoreWrite } from './store.js';

interface Field {
  readonly text: string;
  /** Epoch ms after which the field is of no use. */
  readonly expiresAt: number;
}

type Fields = ReadonlyMap<string, Field>;

// What a key and a field cost besides their text: map slots, the LRU's bookkeeping, object headers. Generous on
// purpose: the bound is a promise about memory, so it is better to count too much than too little.
const KEY_OVERHEAD_BYTES = 160;
const FIELD_OVERHEAD_BYTES = 96;

/**
 * The in-process store: one LRU cache (lru-cache) bounded in bytes, least
 * recently used keys out first. Text is counted at two bytes a character
 * (V8's widest string form), so the bound holds whatever the rows contain.
 * Each process of a cluster has its own; a write's invalidation reaches the
 * others through the cluster (process/cache-bus.ts).
 */
export function createMemoryStore(maxBytes: number, now: () => number = Date.now): CacheStore & { readonly bytes: number } {
  const lru = new LRUCache<string, Fields>({ maxSize: maxBytes, sizeCalculation: sizeOf });
  return {
    kind: 'memory',
    get bytes() {
      return lru.calculatedSize;
    },
    async read(keys, fields) {
      const at = now();
      return keys.map((key) => {
        const stored = lru.get(key);
        return fields.map((name) => {
          const field = stored?.get(name);
          return field && field.expiresAt > at ? field.text : undefined;
        });
      });
    },
    async write(entries) {
      for (const entry of entries) writeOne(lru, entry, now());
    },
    async remove(keys) {
      for (const key of keys) lru.delete(key);
    },
    async close() {
      lru.clear();
    },
  };
}

function writeOne(lru: LRUCache<string, Fields>, { key, field, text, ttlMs }: StoreWrite, at: number): void {
  // Fields whose time is up go now, so a key read by many credentials does not keep their old rows.
  const fields = new Map([...(lru.get(key) ?? [])].filter(([, kept]) => kept.expiresAt > at));
  fields.set(field, { text, expiresAt: at + ttlMs });
  const lastExpiry = Math.max(...[...fields.values()].map((kept) => kept.expiresAt));
  lru.set(key, fields, { ttl: Math.max(1, Math.ceil(lastExpiry - at)) });
}

function sizeOf(fields: Fields, key: string): number {
  let bytes = KEY_OVERHEAD_BYTES + 2 * key.length;
  for (const [name, field] of fields) bytes += FIELD_OVERHEAD_BYTES + 2 * (name.length + field.text.length);
  return bytes;
}
