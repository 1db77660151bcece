import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVICE_NAMES, type ServiceName } from '../services/index.js';
import type { CacheListener } from '../cache/row-cache.js';
import type { CallObserver } from '../upstream/observe.js';

export type BreakerState = 'closed' | 'open' | 'half-open';
/** The circuit breakers' states as they are now; a service left out is `closed`. */
export type BreakerStates = () => Partial<Record<ServiceName, BreakerState>>;
export const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open'];
export const allClosed: BreakerStates = () => ({});

export interface UpstreamMetricsSources {
  readonly breakerStates: BreakerStates;
  /** Calls holding a slot of each service's in-flight cap right now. */
  readonly inFlight: () => Record<ServiceName, number>;
  /** Bytes the in-process cache store holds (0 with Redis). */
  readonly cacheBytes?: () => number;
}

export interface UpstreamMetrics {
  readonly registry: Registry;
  /** Process-wide watcher that feeds the upstream metrics. */
  readonly observer: CallObserver;
  /** Feeds the cache metrics. */
  readonly cache: CacheListener;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZES = [1, 2, 5, 10, 25, 50, 100, 250];

/**
 * The gateway's own registry (one per gateway, so tests and workers never
 * share one): process metrics plus, per upstream, call duration, calls by
 * outcome code, retries, batch sizes, in-flight calls, breaker state, and
 * what its cache answered. Labels are bounded: service, method (GET for
 * reads, POST for writes), route template, outcome code; never ids.
 */
export function createUpstreamMetrics(sources: UpstreamMetricsSources): UpstreamMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const duration = new Histogram({
    name: 'gateway_upstream_call_duration_seconds',
    help: 'Upstream calls from first try to outcome, retries and backoff included',
    labelNames: ['service', 'method', 'route', 'code'] as const,
    buckets: SECONDS,
    registers,
  });
  const calls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Upstream calls by outcome: ok, not-found, refused (a write), cancelled, or a failure code of extensions.errors',
    labelNames: ['service', 'method', 'route', 'code'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Extra attempts made after a failed attempt',
    labelNames: ['service', 'method', 'route'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'gateway_upstream_batch_size',
    help: 'Keys carried by one call to a batch endpoint',
    labelNames: ['service', 'route'] as const,
    buckets: BATCH_SIZES,
    registers,
  });
  new Gauge({
    name: 'gateway_upstream_in_flight',
    help: 'Upstream calls holding an in-flight slot now (summed over workers)',
    labelNames: ['service'] as const,
    registers,
    collect() {
      const counts = sources.inFlight();
      for (const service of SERVICE_NAMES) this.set({ service }, counts[service]);
    },
  });
  new Gauge({
    name: 'gateway_upstream_circuit_state',
    help: 'Circuit breaker state per service: 1 for the current state (summed over workers: how many are in it)',
    labelNames: ['service', 'state'] as const,
    registers,
    collect() {
      const states = sources.breakerStates();
      for (const service of SERVICE_NAMES) {
        const current = states[service] ?? 'closed';
        for (const state of BREAKER_STATES) this.set({ service, state }, state === current ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'gateway_cache_memory_bytes',
    help: 'Bytes of rows held by the in-process cache store (at most a fifth of CACHE_MAX_BYTES; 0 with a Redis store; summed over workers)',
    registers,
    collect() {
      this.set(sources.cacheBytes?.() ?? 0);
    },
  });
  const cacheKeys = new Counter({
    name: 'gateway_cache_keys_total',
    help: 'Keys looked up in the cache, by how they were answered: hit (fresh), revalidating (stale, refreshed in the background), miss (fetched), stale (fetched, failed, served stale instead)',
    labelNames: ['service', 'result'] as const,
    registers,
  });
  const storeErrors = new Counter({
    name: 'gateway_cache_store_errors_total',
    help: 'Cache store operations that failed (store down, slow or answering something that is not a row); the request went to the upstream instead',
    labelNames: ['service'] as const,
    registers,
  });
  const cache: CacheListener = {
    keys: (service, result, count) => cacheKeys.inc({ service, result }, count),
    storeFailed: (service) => storeErrors.inc({ service }),
  };

  const observer: CallObserver = ({ service, route, method, keys, batch }) => {
    if (batch) batchSize.observe({ service, route }, keys);
    return {
      ended({ attempts, durationMs, outcome }) {
        const labels = { service, method, route, code: outcome };
        calls.inc(labels);
        duration.observe(labels, durationMs / 1000);
        if (attempts > 1) retries.inc({ service, method, route }, attempts - 1);
      },
    };
  };
  return { registry, observer, cache };
}
