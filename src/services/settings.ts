/**
 * The settings every service has, with the defaults that apply unless its
 * module declares others (`defaults`) or the operator sets `<SERVICE>_*`.
 * config.ts reads the variables; the variable names are in docs/configuration.md.
 */
export interface ServiceSettings {
  /** Whole-call deadline for one upstream call, retries included. */
  readonly timeoutMs: number;
  /** Extra tries for a failed idempotent call. */
  readonly retries: number;
  /** Use the batch endpoint (one call for many keys) rather than one call per key. */
  readonly batch: boolean;
  readonly maxBatchSize: number;
  /** Most calls in flight to this service at once, across all requests. */
  readonly maxConcurrency: number;
  /** Concurrent identical GETs (same forwarded credentials) share one upstream call. */
  readonly dedupe: boolean;
  /** Most calls waiting for an in-flight slot; beyond it a call fails at once. */
  readonly maxQueue: number;
  /** Connect limit of one attempt (a fresh socket); a slow connect is retried on another. */
  readonly connectTimeoutMs: number;
  /** Larger bodies are aborted while streaming (BAD_RESPONSE). */
  readonly maxResponseBytes: number;
  readonly retryBudgetPercent: number;
  readonly retryBudgetMinPerSecond: number;
  readonly breaker: boolean;
  readonly breakerFailures: number;
  readonly breakerFailurePercent: number;
  readonly breakerMinCalls: number;
  readonly breakerWindowMs: number;
  readonly breakerCooldownMs: number;
  readonly breakerMaxCooldownMs: number;
  /** Header that carries a write's idempotency key; empty: the service takes none. */
  readonly idempotencyHeader: string;
  /** Honour the service's `Cache-Control` (docs/caching.md); `false`: never keep its answers. */
  readonly cache: boolean;
}

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = Object.freeze({
  timeoutMs: 2000,
  retries: 2,
  batch: true,
  maxBatchSize: 100,
  maxConcurrency: 64,
  dedupe: true,
  maxQueue: 256,
  connectTimeoutMs: 1000,
  maxResponseBytes: 10 * 1024 * 1024,
  retryBudgetPercent: 20,
  retryBudgetMinPerSecond: 3,
  breaker: true,
  breakerFailures: 5,
  breakerFailurePercent: 50,
  breakerMinCalls: 20,
  breakerWindowMs: 10_000,
  breakerCooldownMs: 5000,
  breakerMaxCooldownMs: 60_000,
  idempotencyHeader: 'Idempotency-Key',
  cache: true,
});
