import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../config.js';
import { badResponse, classifyRequestError, classifyStatus, timedOut, type AttemptProblem } from '../errors/classify.js';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import type { UpstreamHttp } from './http.js';
import { Slots } from './slots.js';

/** What one GraphQL request lends to every upstream call it causes. */
export interface CallOptions {
  /** Epoch ms at which the GraphQL request's budget ends. */
  readonly deadline: number;
  /** Aborts when the client goes away. */
  readonly signal?: AbortSignal;
  /** Headers sent with every call (request id, trace context, allowed client headers). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A GET against one upstream: `template` names the route for logs and metrics, never the ids. */
export interface Route {
  readonly template: string;
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  /** A 404 means "no such key" (null, no error) rather than a failure. */
  readonly notFoundIsNull: boolean;
}

export const NOT_FOUND: unique symbol = Symbol('not found');

/** Thrown by a body parser when the JSON is not the documented shape. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

// Below this, an attempt (or a retry) has no real chance to complete.
const MIN_ATTEMPT_MS = 20;
const CONNECT_TIMEOUT_MS = 1000;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 250;

type AttemptResult<T> = { readonly ok: true; readonly value: T | typeof NOT_FOUND } | { readonly ok: false; readonly problem: AttemptProblem };

/**
 * The typed client of one upstream: every call goes through its in-flight cap,
 * its deadline (service timeout, capped by the request's budget) and its retry
 * policy, and ends either in a value or in one UpstreamFailure.
 */
export class ServiceClient {
  readonly slots: Slots;

  constructor(
    readonly config: ServiceConfig,
    private readonly http: UpstreamHttp,
  ) {
    this.slots = new Slots(config.maxConcurrency);
  }

  get name() {
    return this.config.name;
  }

  async get<T>(route: Route, call: CallOptions, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    const started = Date.now();
    const deadline = Math.min(started + this.config.timeoutMs, call.deadline);
    const budgetMs = Math.max(0, deadline - started);
    let attempts = 0;
    for (;;) {
      if (deadline - Date.now() < MIN_ATTEMPT_MS) throw this.failure(timedOut(this.name, budgetMs), attempts);
      let release: () => void;
      try {
        release = await this.slots.acquire(deadline, call.signal);
      } catch {
        throw this.failure(timedOut(this.name, budgetMs), attempts);
      }
      attempts++;
      let result: AttemptResult<T>;
      try {
        result = await this.attempt(route, call, deadline, budgetMs, parse);
      } finally {
        release();
      }
      if (result.ok) return result.value;
      const delayMs = this.retryDelay(result.problem, attempts, deadline);
      if (delayMs === undefined) throw this.failure(result.problem, attempts);
      try {
        await sleep(delayMs, undefined, { signal: call.signal });
      } catch {
        throw this.failure(result.problem, attempts);
      }
    }
  }

  private async attempt<T>(
    route: Route,
    call: CallOptions,
    deadline: number,
    budgetMs: number,
    parse: (body: unknown) => T,
  ): Promise<AttemptResult<T>> {
    const remaining = deadline - Date.now();
    let response;
    try {
      response = await this.http.got.get(route.path, {
        searchParams: route.searchParams,
        headers: call.headers,
        signal: call.signal,
        strictContentLength: true,
        timeout: { connect: Math.min(remaining, CONNECT_TIMEOUT_MS), request: remaining },
      });
    } catch (error) {
      return { ok: false, problem: classifyRequestError(this.name, error, budgetMs) };
    }
    const status = response.statusCode;
    if (status === 404 && route.notFoundIsNull) return { ok: true, value: NOT_FOUND };
    if (status < 200 || status >= 300) {
      const retryAfter = response.headers['retry-after'];
      return { ok: false, problem: classifyStatus(this.name, status, retryAfter) };
    }
    const contentType = response.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      return { ok: false, problem: badResponse(this.name, 'not JSON (content type)') };
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return { ok: false, problem: badResponse(this.name, 'not valid JSON') };
    }
    try {
      return { ok: true, value: parse(body) };
    } catch (error) {
      if (error instanceof ShapeError) return { ok: false, problem: badResponse(this.name, error.message) };
      throw error;
    }
  }

  /** Full-jitter backoff; `undefined` when no retry may start (policy, tries, or deadline). */
  private retryDelay(problem: AttemptProblem, attempts: number, deadline: number): number | undefined {
    if (!problem.retryable || attempts > this.config.retries) return undefined;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempts);
    const delayMs = problem.retryAfterMs ?? Math.random() * ceiling;
    if (Date.now() + delayMs + MIN_ATTEMPT_MS > deadline) return undefined;
    return delayMs;
  }

  private failure(problem: AttemptProblem, attempts: number): UpstreamFailure {
    return new UpstreamFailure(this.name, problem.code, problem.message, attempts, problem.httpStatus);
  }
}
