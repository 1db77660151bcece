import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../config.js';
import { badResponse, classifyRequestError, classifyStatus, timedOut, type AttemptProblem } from '../errors/classify.js';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import type { UpstreamHttp } from './http.js';
import type { CallEnd, CallObserver, CallTracker } from './observe.js';
import { Slots } from './slots.js';

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

/** The state of one call across its attempts. */
interface Run {
  readonly route: Route;
  readonly call: CallOptions;
  readonly headers: Readonly<Record<string, string>>;
  readonly trackers: readonly CallTracker[];
  attempts: number;
  lastStatus: number | undefined;
}

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
    /** Process-wide watchers (logs, metrics, traces). */
    private readonly observers: readonly CallObserver[] = [],
  ) {
    this.slots = new Slots(config.maxConcurrency);
  }

  get name() {
    return this.config.name;
  }

  async get<T>(route: Route, call: CallOptions, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    const started = Date.now();
    const trackers = this.startTrackers(route, call);
    const headers = trackers.some((tracker) => tracker.headers)
      ? Object.assign({}, call.headers, ...trackers.map((tracker) => tracker.headers))
      : call.headers;
    const run: Run = { route, call, headers, trackers, attempts: 0, lastStatus: undefined };
    try {
      const value = await this.run(run, parse);
      this.endTrackers(run, started, value === NOT_FOUND ? 'not-found' : 'ok');
      return value;
    } catch (error) {
      if (error instanceof UpstreamFailure) this.endTrackers(run, started, error.code);
      throw error;
    }
  }

  private async run<T>(run: Run, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    const started = Date.now();
    const deadline = Math.min(started + this.config.timeoutMs, run.call.deadline);
    const budgetMs = Math.max(0, deadline - started);
    for (;;) {
      if (deadline - Date.now() < MIN_ATTEMPT_MS) throw this.failure(timedOut(this.name, budgetMs), run.attempts);
      let release: () => void;
      try {
        release = await this.slots.acquire(deadline, run.call.signal);
      } catch {
        throw this.failure(timedOut(this.name, budgetMs), run.attempts);
      }
      run.attempts++;
      let result: AttemptResult<T>;
      try {
        result = await this.attempt(run, deadline, budgetMs, parse);
      } finally {
        release();
      }
      if (result.ok) return result.value;
      const delayMs = this.retryDelay(result.problem, run.attempts, deadline);
      if (delayMs === undefined) throw this.failure(result.problem, run.attempts);
      try {
        await sleep(delayMs, undefined, { signal: run.call.signal });
      } catch {
        throw this.failure(result.problem, run.attempts);
      }
    }
  }

  private async attempt<T>(run: Run, deadline: number, budgetMs: number, parse: (body: unknown) => T): Promise<AttemptResult<T>> {
    const started = Date.now();
    const result = await this.tryOnce(run, deadline, budgetMs, parse);
    const attempt = {
      attempt: run.attempts,
      durationMs: Date.now() - started,
      ...(run.lastStatus === undefined ? {} : { status: run.lastStatus }),
      ...(result.ok ? {} : { code: result.problem.code }),
    };
    for (const tracker of run.trackers) tracker.attemptEnded?.(attempt);
    return result;
  }

  private async tryOnce<T>(run: Run, deadline: number, budgetMs: number, parse: (body: unknown) => T): Promise<AttemptResult<T>> {
    const remaining = deadline - Date.now();
    run.lastStatus = undefined;
    let response;
    try {
      response = await this.http.got.get(run.route.path, {
        searchParams: run.route.searchParams,
        headers: run.headers,
        signal: run.call.signal,
        strictContentLength: true,
        timeout: { connect: Math.min(remaining, CONNECT_TIMEOUT_MS), request: remaining },
      });
    } catch (error) {
      return { ok: false, problem: classifyRequestError(this.name, error, budgetMs) };
    }
    const status = (run.lastStatus = response.statusCode);
    if (status === 404 && run.route.notFoundIsNull) return { ok: true, value: NOT_FOUND };
    if (status < 200 || status >= 300) {
      return { ok: false, problem: classifyStatus(this.name, status, response.headers['retry-after']) };
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

  private startTrackers(route: Route, call: CallOptions): CallTracker[] {
    const observers = call.observers ? [...this.observers, ...call.observers] : this.observers;
    if (observers.length === 0) return [];
    const start = { service: this.name, route: route.template, keys: route.keys, batch: route.batch };
    return observers.flatMap((observe) => observe(start) ?? []);
  }

  private endTrackers(run: Run, started: number, outcome: CallEnd['outcome']): void {
    const end = {
      attempts: run.attempts,
      durationMs: Date.now() - started,
      outcome,
      ...(run.lastStatus === undefined ? {} : { status: run.lastStatus }),
    };
    for (const tracker of run.trackers) tracker.ended?.(end);
  }

  private failure(problem: AttemptProblem, attempts: number): UpstreamFailure {
    return new UpstreamFailure(this.name, problem.code, problem.message, attempts, problem.httpStatus);
  }
}
