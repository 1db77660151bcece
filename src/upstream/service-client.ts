import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../config.js';
import { badResponse, classifyRequestError, classifyStatus, timedOut, type AttemptProblem } from '../errors/classify.js';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import { CircuitBreaker, type Admission, type BreakerState } from './circuit-breaker.js';
import type { UpstreamHttp } from './http.js';
import type { CallEnd, CallObserver, CallTracker } from './observe.js';
import { RetryBudget } from './retry-budget.js';
import { SharedFlights } from './shared-flights.js';
import { Slots, SlotTimeout } from './slots.js';

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
}

export const NOT_FOUND: unique symbol = Symbol('not found');

/** Thrown by a body parser when the JSON is not the documented shape. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

// Below this, an attempt (or a retry) has no real chance to complete.
const MIN_ATTEMPT_MS = 20;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 250;

/** The state of one call across its attempts. */
interface Run {
  readonly route: Route;
  readonly call: CallOptions;
  readonly headers: Readonly<Record<string, string>>;
  readonly trackers: readonly CallTracker[];
  readonly deadline: number;
  /** What the deadline allowed when the call started: the number in a TIMEOUT message. */
  readonly budgetMs: number;
  attempts: number;
  lastStatus: number | undefined;
  /** A reset on a reused keep-alive socket gets one retry that costs nothing. */
  freeRetryUsed: boolean;
}

type AttemptResult<T> =
  | { readonly ok: true; readonly value: T | typeof NOT_FOUND }
  | { readonly ok: false; readonly problem: AttemptProblem; readonly onReusedSocket: boolean };

/**
 * The typed client of one upstream. Every call goes through its circuit
 * breaker, its in-flight cap, its deadline (service timeout, capped by the
 * request's budget) and its retry policy (jittered backoff under a retry
 * budget), and ends either in a value or in one UpstreamFailure.
 */
export class ServiceClient {
  readonly slots: Slots;
  private readonly breaker: CircuitBreaker | undefined;
  private readonly retryBudget: RetryBudget;
  private readonly flights = new SharedFlights();

  constructor(
    readonly config: ServiceConfig,
    private readonly http: UpstreamHttp,
    /** Process-wide watchers (logs, metrics, traces). */
    private readonly observers: readonly CallObserver[] = [],
  ) {
    this.slots = new Slots(config.maxConcurrency, config.maxQueue);
    this.breaker = config.breaker && new CircuitBreaker(config.breaker);
    this.retryBudget = new RetryBudget(config.retryBudget);
  }

  get name() {
    return this.config.name;
  }

  get breakerState(): BreakerState {
    return this.breaker?.current ?? 'closed';
  }

  /**
   * One GET, shared with identical concurrent GETs of other requests when
   * deduplication is on. `parse` must depend only on the route (it does: the
   * shape of a route's body is fixed), since a joiner gets the first caller's
   * parsed value.
   */
  get<T>(route: Route, call: CallOptions, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    // A request whose client asked for a shorter budget calls alone: its short deadline must not cut the call short
    // for others. Every other request has the operator's budget, so the first caller's deadline is the earliest of all.
    if (!this.config.dedupe || call.clientShortened) return this.call(route, call, parse);
    const query = route.searchParams ? new URLSearchParams(route.searchParams as Record<string, string>).toString() : '';
    const key = `${call.shareKey ?? ''}\n${route.path}?${query}`;
    const joining = this.flights.has(key);
    const flight = this.flights.join(key, call.signal, (signal) => this.call(route, { ...call, signal }, parse));
    return joining ? this.watchJoined(route, call, flight) : flight;
  }

  /** A request that joined another's call still sees it in its own trace and log line (0 attempts of its own). */
  private watchJoined<T>(route: Route, call: CallOptions, flight: Promise<T>): Promise<T> {
    const observers = call.observers ?? [];
    if (observers.length === 0) return flight;
    const started = Date.now();
    const start = { service: this.name, route: route.template, keys: route.keys, batch: route.batch, shared: true };
    const trackers = observers.flatMap((observe) => observe(start) ?? []);
    const end = (outcome: CallEnd['outcome']) => {
      for (const tracker of trackers) tracker.ended?.({ attempts: 0, durationMs: Date.now() - started, outcome });
    };
    flight.then(
      (value) => end(value === NOT_FOUND ? 'not-found' : 'ok'),
      (error: unknown) => end(error instanceof UpstreamFailure && !call.signal?.aborted ? error.code : 'cancelled'),
    );
    return flight;
  }

  private async call<T>(route: Route, call: CallOptions, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    const started = Date.now();
    const deadline = Math.min(started + this.config.timeoutMs, call.deadline);
    const trackers = this.startTrackers(route, call);
    const headers = trackers.some((tracker) => tracker.headers)
      ? Object.assign({}, call.headers, ...trackers.map((tracker) => tracker.headers))
      : call.headers;
    const run: Run = {
      route,
      call,
      headers,
      trackers,
      deadline,
      budgetMs: Math.max(0, deadline - started),
      attempts: 0,
      lastStatus: undefined,
      freeRetryUsed: false,
    };
    try {
      const value = await this.run(run, parse);
      this.endTrackers(run, started, value === NOT_FOUND ? 'not-found' : 'ok');
      return value;
    } catch (error) {
      // A call nobody waits for any more is not the upstream's failure (metrics, spans).
      if (error instanceof UpstreamFailure) this.endTrackers(run, started, run.call.signal?.aborted ? 'cancelled' : error.code);
      throw error;
    }
  }

  private async run<T>(run: Run, parse: (body: unknown) => T): Promise<T | typeof NOT_FOUND> {
    this.retryBudget.onCall();
    for (;;) {
      if (run.deadline - Date.now() < MIN_ATTEMPT_MS) throw this.failure(timedOut(this.name, run.budgetMs), run.attempts);
      const admission = this.breaker ? this.breaker.admit() : 'call';
      if (!admission) {
        throw new UpstreamFailure(this.name, 'CIRCUIT_OPEN', `${this.name} is failing; the gateway is not calling it for now`, run.attempts);
      }
      let release: () => void;
      try {
        release = await this.slots.acquire(run.deadline, run.call.signal);
      } catch (error) {
        this.breaker?.release(admission);
        const saturated = error instanceof SlotTimeout && error.queueFull;
        throw saturated
          ? new UpstreamFailure(this.name, 'TIMEOUT', `${this.name} is saturated: too many calls already waiting`, run.attempts)
          : this.failure(timedOut(this.name, run.budgetMs), run.attempts);
      }
      if (run.deadline - Date.now() < MIN_ATTEMPT_MS) {
        release();
        this.breaker?.release(admission);
        throw this.failure(timedOut(this.name, run.budgetMs), run.attempts);
      }
      run.attempts++;
      let result: AttemptResult<T>;
      try {
        result = await this.attempt(run, parse);
      } finally {
        release();
      }
      this.recordOutcome(admission, run, result);
      if (result.ok) return result.value;
      const delayMs = this.retryDelay(run, result);
      if (delayMs === undefined) throw this.failure(result.problem, run.attempts);
      try {
        await sleep(delayMs, undefined, { signal: run.call.signal });
      } catch {
        throw this.failure(result.problem, run.attempts);
      }
    }
  }

  private async attempt<T>(run: Run, parse: (body: unknown) => T): Promise<AttemptResult<T>> {
    const started = Date.now();
    run.lastStatus = undefined;
    const result = await this.tryOnce(run, parse);
    const attempt = {
      attempt: run.attempts,
      durationMs: Date.now() - started,
      ...(run.lastStatus === undefined ? {} : { status: run.lastStatus }),
      ...(result.ok ? {} : { code: result.problem.code }),
    };
    for (const tracker of run.trackers) tracker.attemptEnded?.(attempt);
    return result;
  }

  private async tryOnce<T>(run: Run, parse: (body: unknown) => T): Promise<AttemptResult<T>> {
    const remaining = run.deadline - Date.now();
    const maxBytes = this.config.maxResponseBytes;
    let onReusedSocket = false;
    let tooLarge = false;
    const fail = (problem: AttemptProblem): AttemptResult<T> => ({ ok: false, problem, onReusedSocket });
    let response;
    try {
      const pending = this.http.got.get(run.route.path, {
        searchParams: run.route.searchParams,
        headers: run.headers,
        signal: run.call.signal,
        strictContentLength: true,
        // Per attempt: connect, first byte (headers) and the whole attempt, body included (a drip is cut too).
        // The attempt may use what is left of the call's deadline, so a stalled attempt leaves no time to retry.
        timeout: { connect: Math.min(remaining, this.config.connectTimeoutMs), response: remaining, request: remaining },
      });
      pending.on('request', (request) => (onReusedSocket = request.reusedSocket));
      // Checked as the body streams in (and against Content-Length up front), so a huge body is never buffered.
      pending.on('downloadProgress', ({ transferred, total }) => {
        if (transferred > maxBytes || (total !== undefined && total > maxBytes)) {
          tooLarge = true;
          pending.cancel();
        }
      });
      response = await pending;
    } catch (error) {
      if (tooLarge) return fail(badResponse(this.name, `body larger than ${maxBytes} bytes`));
      return fail(classifyRequestError(this.name, error, run.budgetMs));
    }
    const status = (run.lastStatus = response.statusCode);
    if (status === 404 && run.route.notFoundIsNull) return { ok: true, value: NOT_FOUND };
    if (status < 200 || status >= 300) return fail(classifyStatus(this.name, status, response.headers['retry-after']));
    const contentType = response.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) return fail(badResponse(this.name, 'not JSON (content type)'));
    let body: unknown;
    try {
      // A `__proto__` key becomes an own property here, and the shape check copies only documented fields.
      body = JSON.parse(response.body);
    } catch {
      return fail(badResponse(this.name, 'not valid JSON'));
    }
    try {
      return { ok: true, value: parse(body) };
    } catch (error) {
      if (error instanceof ShapeError) return fail(badResponse(this.name, error.message));
      throw error;
    }
  }

  /** Feeds the breaker: only what says the upstream is unwell counts as a failure. */
  private recordOutcome(admission: Admission, run: Run, result: AttemptResult<unknown>): void {
    if (!this.breaker) return;
    // A cancelled call says nothing about the upstream, nor does a timeout that a client's shorter budget caused.
    const cutByClient =
      !result.ok && result.problem.code === 'TIMEOUT' && run.call.clientShortened === true && run.budgetMs < this.config.timeoutMs;
    if (run.call.signal?.aborted || cutByClient) return this.breaker.release(admission);
    const unwell = !result.ok && (result.problem.code !== 'HTTP_ERROR' || isUnwellStatus(result.problem.httpStatus));
    this.breaker.record(admission, unwell);
  }

  /**
   * Full-jitter backoff; `undefined` when no retry may start: not retryable,
   * out of tries or of retry budget, or the wait (Retry-After included) does
   * not fit in what is left of the deadline.
   */
  private retryDelay(run: Run, result: Extract<AttemptResult<unknown>, { ok: false }>): number | undefined {
    const { problem } = result;
    if (!problem.retryable) return undefined;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** run.attempts);
    const delayMs = problem.retryAfterMs ?? Math.random() * ceiling;
    if (Date.now() + delayMs + MIN_ATTEMPT_MS > run.deadline) return undefined;
    if (result.onReusedSocket && problem.code === 'UNREACHABLE' && !run.freeRetryUsed) {
      run.freeRetryUsed = true;
      return 0;
    }
    const triesSoFar = run.attempts - (run.freeRetryUsed ? 1 : 0);
    if (triesSoFar > this.config.retries || !this.retryBudget.tryRetry()) return undefined;
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

function isUnwellStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 408 || status === 429;
}
