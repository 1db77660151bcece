import type { CallObserver } from './observe.js';

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
  /** The client asked (x-request-timeout-ms) for less than the operator's request budget. */
  readonly clientShortened?: boolean;
}

/** A GET against one upstream: `template` names the route for logs and metrics, never the ids. */
export interface Route {
  readonly template: string;
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
  /** The answer's `Cache-Control` and `ETag` headers, as sent. */
  readonly cacheControl?: string;
  readonly etag?: string;
}

/** Thrown by a body parser when the JSON is not the documented shape. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}
