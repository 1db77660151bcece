import { Redis } from 'ioredis';
import { within } from './guarded-store.js';
import { StoreSkipped, type CacheStore } from './store.js';

const CLOSE_WAIT_MS = 1000;

/** A read or a write asked for while the connection is down: it is not queued, the caller goes to the upstreams. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/**
 * The shared store: one Redis hash per key, one field per audience. A lookup
 * of a batch is one pipeline of HMGETs, and a batch of rows is stored as one
 * MULTI of HSET + PEXPIRE per key: one round trip either way, whatever the
 * number of keys. The key's TTL is only ever lengthened (`NX`, then `GT`),
 * so it lives as long as its longest-lived field.
 *
 * Reads and writes are refused at once while the connection is not ready
 * (never queued: a request does not wait for Redis to come back). Removals
 * are the exception: a write's invalidation waits in ioredis's offline queue
 * and is the first thing sent when the connection is back, before any read.
 */
export function createRedisStore(url: URL): CacheStore {
  const redis = new Redis(url.href, {
    // Commands in flight when the connection drops are sent again rather than failed after 20 reconnections: only
    // removals are ever waiting then, and they must not be lost.
    maxRetriesPerRequest: null,
    connectTimeout: 1000,
    // Reconnect quickly at first, then every 2 s at most, for as long as it takes.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
  // The connection's ups and downs are reported by the store's guard (guarded-store.ts), once per change.
  redis.on('error', () => {});
  // Until the first connection is made or fails, the store is not down: it is not up yet.
  let starting = true;
  const started = () => (starting = false);
  redis.once('ready', started).once('close', started);
  const ready = () => {
    if (redis.status === 'ready') return;
    if (starting) throw new StoreSkipped('not connected yet');
    throw new StoreUnavailable('not connected');
  };

  return {
    kind: 'redis',
    async read(keys, fields) {
      ready();
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hmget(key, ...fields);
      const replies = (await pipeline.exec()) ?? [];
      // A key that holds something else (WRONGTYPE) is that key's problem only: the other keys' rows still count.
      return replies.map(([error, values]) => {
        if (error) return error;
        if (!Array.isArray(values)) return new TypeError('HMGET did not answer a list');
        return values.map((value) => (typeof value === 'string' ? value : undefined));
      });
    },
    async write(entries) {
      ready();
      const multi = redis.multi();
      for (const { key, field, text, ttlMs } of entries) {
        const ms = Math.max(1, Math.ceil(ttlMs));
        multi.hset(key, field, text).pexpire(key, ms, 'NX').pexpire(key, ms, 'GT');
      }
      const replies = await multi.exec();
      const failed = replies?.find(([error]) => error);
      if (!replies || failed) throw failed?.[0] ?? new Error('transaction aborted');
    },
    async remove(keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
    async close() {
      // QUIT waits for the replies of what was sent, for a moment; a dead or stuck connection is simply dropped.
      if (redis.status === 'ready') await within(CLOSE_WAIT_MS, redis.quit()).catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
