import type { CallObserver } from './observe.js';
import type { QueueKey } from './slots.js';

/**
 * The vocabulary of one upstream call, shared by the loaders that ask for
 * calls and the service client that makes them.
 */

/** What one GraphQL request lends to every upstream call it causes. */
export interface CallOptions {
  /** Epoch ms at which the GraphQL request's budget ends. */
  readonly deadline: number;
  /** Aborts when the client goes away. */
  readonly signal?: AbortSignal;
  /** Headers sent with every call (request id, trace context, allowed client headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** Watchers of this request's calls only (e.g. the upstream trace in `extensions`). */
  readonly observers?: readonly CallObserver[];
  /**
   * Identifies the credentials this request forwards upstream: requests share
   * an in-flight call only when their keys are equal. Empty when nothing is
   * forwarded.
   */
  readonly shareKey?: string;
  /** Who the call waits for when the service's wait queue is busy: clients share the queue fairly. */
  readonly queueKey?: QueueKey;
  /** The client asked (x-request-timeout-ms) for less than the operator's request budget. */
  readonly clientShortened?: boolean;
}

/** A call to one upstream: `template` names the route for logs and metrics, never the ids. */
export interface Route {
  readonly template: string;
  /** A write sends `POST` with a JSON body; a read is a GET. */
  readonly method?: 'POST';
  readonly json?: unknown;
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  /** A 404 means "no such key" (null, no error) rather than a failure. */
  readonly notFoundIsNull: boolean;
  /** Keys carried: 1 for a per-key call. */
  readonly keys: number;
  readonly batch: boolean;
  /** The keys are asked for because the service's cache could not serve them: watchers count them as misses. */
  readonly cacheMiss?: boolean;
}

/**
 * What an attempt asks got for: the path and its query, encoded once per call
 * (it is also the in-flight sharing key), so got does not build and check a
 * search-params object for every attempt.
 */
export function routeTarget(route: Route): string {
  return route.searchParams ? `${route.path}?${new URLSearchParams(route.searchParams as Record<string, string>).toString()}` : route.path;
}

/** The value of a call whose 404 means "no such key". */
export const NOT_FOUND: unique symbol = Symbol('not found');

/**
 * A call that got an answer it could use: the parsed body (or NOT_FOUND), and
 * what a caller may need to know about the answer besides its body. A request
 * that joined another's call gets the same answer.
 */
export interface Answer<T> {
  readonly value: T | typeof NOT_FOUND;
  /** Attempts the call made. */
  readonly attempts: number;
  /** A write the service refused (a 4xx the write's policy reads as a refusal): `value` is that refusal. */
  readonly refused?: boolean;
  /** The answer's `Cache-Control` and `ETag` headers, as sent. */
  readonly cacheControl?: string;
  readonly etag?: string;
  /** Epoch ms at which the call began: for a request that joined it in flight, before the request asked. */
  readonly startedAt: number;
}

/**
 * How a write is made (ServiceClient.write). A write is never shared, and once
 * an attempt has gone out the client leaving does not cancel it.
 */
export interface WritePolicy<T> {
  /** Safe to send again (naturally idempotent, or carrying a key the service honours): retried like a read. */
  readonly repeatable: boolean;
  /** Sent with every attempt: the idempotency key, the same for each. */
  readonly headers: Readonly<Record<string, string>>;
  /** A 4xx answer as a value (the service refused the input), or `undefined` when it is an HTTP_ERROR. */
  readonly refusal: (status: number, body: unknown) => T | undefined;
  /** Added to a failure's message when an attempt may have reached the service: what the client should do. */
  readonly unknownOutcome: string;
  /** For logs and traces, which never see the key itself. */
  readonly idempotencyKeyHash?: string;
}

/** Thrown by a body parser when the JSON is not the documented shape. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}
