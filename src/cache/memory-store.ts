import { LRUCache } from 'lru-cache';
import type { CacheStore, StoreWrite } from './store.js';

interface Field {
  readonly text: string;
  /** Epoch ms after which the field is of no use. */
  readonly expiresAt: number;
}

/**
 * A key's fields, changed in place (copying them on every write would make
 * garbage in proportion to the audiences of a key), with their size kept up
 * to date. The LRU gets a new `Entry` on each write, which is how it learns
 * the new size.
 */
interface Entry {
  readonly fields: Map<string, Field>;
  readonly bytes: number;
}

// What a key and a field cost besides their text: map slots, the LRU's bookkeeping, object headers. Generous on
// purpose: the bound is a promise about memory, so it is better to count too much than too little.
const KEY_OVERHEAD_BYTES = 160;
const FIELD_OVERHEAD_BYTES = 96;
/**
 * Rows kept in the JS heap cost the process more than their size: they
 * outlive the young generation, and between major collections V8 lets its
 * old space grow to a few times what is alive in it. With the store full and
 * every row new (npm run bench, BENCHMARKS.md), peak RSS grew by 3 to 4 bytes
 * per byte of rows held. So the rows get a fifth of CACHE_MAX_BYTES, and the
 * whole cost to the process stays within it.
 */
const HEAP_ROOM = 5;

/**
 * The in-process store: one LRU cache (lru-cache) bounded in bytes, least
 * recently used keys out first. Text is counted at two bytes a character
 * (V8's widest string form), so the bound holds whatever the rows contain,
 * and the rows may fill a fifth of `maxBytes` (HEAP_ROOM).
 * Each process of a cluster has its own; a write's invalidation reaches the
 * others through the cluster (process/cache-bus.ts).
 */
export function createMemoryStore(maxBytes: number, now: () => number = Date.now): CacheStore & { readonly bytes: number } {
  const lru = new LRUCache<string, Entry>({ maxSize: Math.max(1, Math.floor(maxBytes / HEAP_ROOM)), sizeCalculation: (entry) => entry.bytes });
  return {
    kind: 'memory',
    get bytes() {
      return lru.calculatedSize;
    },
    async read(keys, fields) {
      const at = now();
      return keys.map((key) => {
        const stored = lru.get(key)?.fields;
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

function writeOne(lru: LRUCache<string, Entry>, { key, field, text, ttlMs }: StoreWrite, at: number): void {
  const fields = lru.get(key)?.fields ?? new Map<string, Field>();
  // Fields whose time is up go now, so a key read by many credentials does not keep their old rows.
  for (const [name, kept] of fields) if (kept.expiresAt <= at) fields.delete(name);
  fields.set(field, { text, expiresAt: at + ttlMs });
  let bytes = KEY_OVERHEAD_BYTES + 2 * key.length;
  let lastExpiry = at;
  for (const [name, kept] of fields) {
    bytes += FIELD_OVERHEAD_BYTES + 2 * (name.length + kept.text.length);
    lastExpiry = Math.max(lastExpiry, kept.expiresAt);
  }
  lru.set(key, { fields, bytes }, { ttl: Math.max(1, Math.ceil(lastExpiry - at)) });
}
