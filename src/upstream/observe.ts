import type { ServiceName } from '../services/index.js';
import type { UpstreamErrorCode } from '../errors/contract.js';

/**
 * How logs, metrics, traces and the per-request upstream trace watch upstream
 * calls without the call engine knowing about any of them. An observer is
 * told when a call starts and returns a tracker for that call (or nothing).
 * Everything here is bounded: a route template, never ids or URLs.
 */
export interface CallStart {
  readonly service: ServiceName;
  /** Route template, e.g. `/users/{key}`. */
  readonly route: string;
  /** `POST` for a write. */
  readonly method: 'GET' | 'POST';
  /** Keys carried by the call: 1 per-key, n for a batch. */
  readonly keys: number;
  readonly batch: boolean;
  /** This request joined a call another request started (in-flight sharing); it made no attempt itself. */
  readonly shared?: boolean;
  /** A write's idempotency key, hashed (idempotency-key.ts): the key itself is never logged. */
  readonly idempotencyKeyHash?: string;
  /**
   * Set when the service's cache was asked first. `miss`: a real call, for the keys the cache could not serve.
   * The others are calls avoided, reported to the request's own observers only, with `keys` served from the cache:
   * `hit` fresh, `revalidating` stale while one background call refreshes them, `stale` instead of the failure
   * of the call made for them (stale-if-error).
   */
  readonly cache?: CacheOutcome;
}

export type CacheOutcome = 'hit' | 'revalidating' | 'stale' | 'miss';

/** A call the cache answered: no upstream traffic, nothing to time. */
export function isAvoided(start: CallStart): boolean {
  return start.cache !== undefined && start.cache !== 'miss';
}

export interface AttemptEnd {
  /** 1 for the first try. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly status?: number;
  /** Set when the attempt failed. */
  readonly code?: UpstreamErrorCode;
}

export interface CallEnd {
  readonly attempts: number;
  readonly durationMs: number;
  readonly status?: number;
  /**
   * `cancelled`: every request waiting for the call went away before it ended. `refused`: a write the upstream
   * refused with a reason (409, 422, …), which the client gets as a `userErrors` entry.
   */
  readonly outcome: 'ok' | 'not-found' | 'refused' | 'cancelled' | UpstreamErrorCode;
}

export interface CallTracker {
  /** Extra headers for every attempt of this call (e.g. `traceparent`). */
  readonly headers?: Readonly<Record<string, string>>;
  attemptEnded?(attempt: AttemptEnd): void;
  ended?(end: CallEnd): void;
}

export type CallObserver = (start: CallStart) => CallTracker | undefined;

/** Starts watching one call: each observer may hand back a tracker. */
export function startTracking(observers: readonly CallObserver[], start: CallStart): CallTracker[] {
  return observers.length === 0 ? [] : observers.flatMap((observe) => observe(start) ?? []);
}

export function endTracking(trackers: readonly CallTracker[], end: CallEnd): void {
  for (const tracker of trackers) tracker.ended?.(end);
}

/** Headers the trackers add to every attempt (e.g. `traceparent`), over the call's own. */
export function withTrackerHeaders(headers: Readonly<Record<string, string>>, trackers: readonly CallTracker[]): Readonly<Record<string, string>> {
  return trackers.some((tracker) => tracker.headers) ? Object.assign({}, headers, ...trackers.map((tracker) => tracker.headers)) : headers;
}
