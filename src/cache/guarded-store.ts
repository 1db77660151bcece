import { CircuitBreaker, type BreakerListener, type BreakerSettings } from '../upstream/circuit-breaker.js';
import { StoreSkipped, type CacheStore } from './store.js';

export class StoreTimeout extends Error {
  override readonly name = 'StoreTimeout';
}

/**
 * A remote store must never make an answer slow or fail. Its breaker opens
 * after a few failures in a row (down, slow, answering garbage) and then the
 * gateway stops asking it, at no cost to requests; after a cool-down one
 * operation probes it again.
 */
export const STORE_BREAKER: BreakerSettings = Object.freeze({
  consecutiveFailures: 3,
  failurePercent: 50,
  minCalls: 20,
  windowMs: 10_000,
  cooldownMs: 1000,
  maxCooldownMs: 5000,
});

/** Told when the store becomes unusable and when it is usable again: once per change, not per failed operation. */
export interface StoreHealthListener {
  unavailable?(): void;
  available?(): void;
}

/**
 * Wraps a remote store: every read and write within `timeoutMs`, under a
 * breaker of its own. Removals are passed through as they are: a write's
 * invalidation must reach the store whenever it can, even while the breaker
 * is open, and the writer bounds its own wait (row-cache.ts).
 */
export function guardStore(store: CacheStore, timeoutMs: number, health: StoreHealthListener = {}): CacheStore & { readonly usable: boolean } {
  const listener: BreakerListener = {
    opened: ({ trips }) => {
      if (trips === 1) health.unavailable?.();
    },
    closed: () => health.available?.(),
  };
  const breaker = new CircuitBreaker(STORE_BREAKER, Date.now, Math.random, listener);
  const guarded = async <T>(operation: () => Promise<T>): Promise<T> => {
    const admission = breaker.admit();
    if (!admission) throw new StoreSkipped('the cache store is not being asked for now');
    try {
      const result = await within(timeoutMs, operation());
      breaker.record(admission, false);
      return result;
    } catch (error) {
      if (error instanceof StoreSkipped) breaker.release(admission);
      else breaker.record(admission, true);
      throw error;
    }
  };
  return {
    kind: store.kind,
    get usable() {
      return breaker.current === 'closed';
    },
    read: (keys, fields) => guarded(() => store.read(keys, fields)),
    write: (entries) => guarded(() => store.write(entries)),
    remove: (keys, forgottenAt) => store.remove(keys, forgottenAt),
    close: () => store.close(),
  };
}

/**
 * `operation`, or a StoreTimeout after `ms`; the operation itself carries on.
 * A busy event loop runs expired timers before it reads sockets, so a reply
 * that arrived in time would lose to the timer: the verdict waits for the
 * sockets to be read (setImmediate runs after them), so that a gateway busy
 * with its own work does not take its lag for a slow store.
 */
export function within<T>(ms: number, operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new StoreTimeout(`no answer within ${ms} ms`))), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
