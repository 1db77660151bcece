import { randomBytes } from 'node:crypto';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { guardStore } from './guarded-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { RowCache, type CacheListener, type ForgetBus } from './row-cache.js';

export interface RowCacheDeps {
  readonly logger: Logger;
  readonly listener?: CacheListener;
  /** With the memory store in a cluster worker: how a write's invalidation reaches the other workers. */
  readonly bus?: ForgetBus;
  readonly now?: () => number;
  /** The reads whose keys a write made this process forget (RowCacheOptions.forgotten). */
  readonly forgotten?: (reads: ReadonlySet<string>) => void;
}

/** The gateway's row cache over the configured store (CACHE_STORE). */
export function createRowCache(config: GatewayConfig, { logger, listener, bus, now, forgotten }: RowCacheDeps): RowCache {
  const { store: where, maxBytes, storeTimeoutMs, scopeSecret } = config.cache;
  const store = where === 'memory' ? createMemoryStore(maxBytes) : guardedRedis(where, storeTimeoutMs, logger);
  return new RowCache({
    store,
    // Without a shared secret, each process keys its own: private rows are then found only by the process that
    // stored them (public rows are shared all the same).
    scopeSecret: scopeSecret ?? randomBytes(32).toString('base64url'),
    removalWaitMs: storeTimeoutMs,
    ...(listener ? { listener } : {}),
    ...(bus && where === 'memory' ? { bus } : {}),
    ...(now ? { now } : {}),
    ...(forgotten ? { forgotten } : {}),
  });
}

/** Redis behind its guard; its state changes logged once each, with the reason (a code, never the URL). */
function guardedRedis(url: URL, timeoutMs: number, logger: Logger) {
  const redis = createRedisStore(url, {
    startFailed: (reason) => logger.warn({ store: 'redis', reason }, 'cache store unreachable at start-up: reads go to the upstreams until it answers'),
  });
  return guardStore(redis, timeoutMs, {
    unavailable: () => logger.warn({ store: 'redis', reason: redis.failure ?? 'slow or garbled answers' }, 'cache store unavailable: reads go to the upstreams until it answers again'),
    available: () => logger.warn({ store: 'redis' }, 'cache store available again'),
  });
}
