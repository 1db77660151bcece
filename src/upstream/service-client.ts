import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceConfig } from '../config.js';
import { timedOut, type AttemptProblem } from '../errors/classify.js';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import { sendAttempt, type AttemptResult } from './attempt.js';
import { NOT_FOUND, routeTarget, type Answer, type CallOptions, type Route, type WritePolicy } from './call.js';
import { CircuitBreaker, type Admission, type BreakerListener, type BreakerState } from './circuit-breaker.js';
import type { UpstreamHttp } from './http.js';
import { loopStalls } from './loop-stalls.js';
import { endTracking, startTracking, withTrackerHeaders, type CallEnd, type CallObserver, type CallStart, type CallTracker } from './observe.js';
import { RetryBudget } from './retry-budget.js';
import { SharedFlights } from './shared-flights.js';
import { Slots, SlotTimeout } from './slots.js';

// Below this, an attempt (or a retry) has no real chance to complete.
const MIN_ATTEMPT_MS = 20;
// A timeout is the upstream's failure only when the gateway's own delays (waiting for a slot, event-loop stalls) took
// at most this share of the time the upstream was due.
const OWN_DELAY_SHARE = 0.1;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 250;

/** The state of one call across its attempts. */
interface Run {
  readonly route: Route;
  /** The route's path and query, as sent. */
  readonly target: string;
  readonly call: CallOptions;
  readonly headers: Readonly<Record<string, string>>;
  readonly trackers: readonly CallTracker[];
  readonly deadline: number;
  /** What the deadline allowed when the call started: the number in a TIMEOUT message. */
  readonly budgetMs: number;
  readonly started: number;
  /** Time since `started` that went to the upstream itself: its attempts, and the backoff after its failures. */
  upstreamMs: number;
  attempts: number;
  lastStatus: number | undefined;
  /** A reset on a reused keep-alive socket gets one retry that costs nothing. */
  freeRetryUsed: boolean;
  /** Set for a write. */
  readonly write: WritePolicy<unknown> | undefined;
  /** Some attempt may have reached the upstream and failed without saying whether it acted (not a 4xx). */
  outcomeUnknown: boolean;
}

/** When a shared call gives up: its service timeout, and that capped by its first caller's request budget. */
interface FlightDeadlines {
  readonly serviceDeadline: number;
  readonly deadline: number;
}

// How much sooner than its own call would, a shared call may give up and still be joined. A stricter rule would
// turn sharing off whenever the first caller's budget, not the service timeout, sets the call's deadline.
const JOIN_SLACK_MS = 100;

/**
 * Whether joining `flight` could turn an answer a request has time to wait for into its TIMEOUT: the flight gives up
 * more than JOIN_SLACK_MS before the request's own call would (the service timeout from the flight's start, or the
 * request's deadline if that comes first).
 */
function cutsShort(flight: FlightDeadlines, requestDeadline: number): boolean {
  return flight.deadline < Math.min(flight.serviceDeadline, requestDeadline) - JOIN_SLACK_MS;
}

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
  private readonly flights = new SharedFlights<FlightDeadlines>();

  constructor(
    readonly config: ServiceConfig,
    private readonly http: UpstreamHttp,
    /** Process-wide watchers (logs, metrics, traces). */
    private readonly observers: readonly CallObserver[] = [],
    breakerListener: BreakerListener = {},
  ) {
    this.slots = new Slots(config.maxConcurrency, config.maxQueue);
    this.breaker = config.breaker && new CircuitBreaker(config.breaker, Date.now, Math.random, breakerListener);
    this.retryBudget = new RetryBudget(config.retryBudget);
    loopStalls.watch();
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
  get<T>(route: Route, call: CallOptions, parse: (body: unknown) => T): Promise<Answer<T>> {
    // A request whose client asked for a shorter budget calls alone: its short deadline must not cut the call short
    // for others.
    if (!this.config.dedupe || call.clientShortened) return this.call(route, call, parse);
    const target = routeTarget(route);
    const key = `${call.shareKey ?? ''}\n${target}`;
    const joined = this.flights.join<Answer<T>>(key, call.signal, (flight) => !cutsShort(flight, call.deadline));
    if (joined) return this.watchJoined(route, call, joined);
    // No call in flight, or one that would give up well before this request's own call would (its first caller was
    // near the end of its request budget): this request starts a flight of its own, which later requests join.
    const serviceDeadline = Date.now() + this.config.timeoutMs;
    const deadlines: FlightDeadlines = { serviceDeadline, deadline: Math.min(serviceDeadline, call.deadline) };
    return this.flights.start(key, call.signal, deadlines, (signal) => this.call(route, { ...call, signal }, parse, undefined, target));
  }

  /**
   * After a write: the GETs in flight now may have read what it changed, so
   * no later request joins them (each carries on for whoever waits on it).
   */
  retireSharedCalls(): void {
    this.flights.retireAll();
  }

  /**
   * One write (a POST): never shared with another request. Once an attempt
   * has gone out, the client leaving does not cancel it: it runs to its
   * outcome, which only the upstream would otherwise know, and the answer is
   * dropped. Retried like a read when the policy says it is repeatable; else
   * only after attempts that surely sent nothing. A failure after an attempt
   * may have reached the upstream says what to do (`unknownOutcome`).
   */
  write<T>(route: Route, call: CallOptions, parse: (body: unknown) => T, policy: WritePolicy<T>): Promise<Answer<T>> {
    return this.call(route, call, parse, policy);
  }

  /** A request that joined another's call still sees it in its own trace and log line (0 attempts of its own). */
  private watchJoined<T>(route: Route, call: CallOptions, flight: Promise<Answer<T>>): Promise<Answer<T>> {
    const trackers = startTracking(call.observers ?? [], { ...this.callStart(route), shared: true });
    if (trackers.length === 0) return flight;
    const started = Date.now();
    const end = (outcome: CallEnd['outcome']) => endTracking(trackers, { attempts: 0, durationMs: Date.now() - started, outcome });
    flight.then(
      ({ value }) => end(value === NOT_FOUND ? 'not-found' : 'ok'),
      (error: unknown) => end(error instanceof UpstreamFailure && !call.signal?.aborted ? error.code : 'cancelled'),
    );
    return flight;
  }

  private async call<T>(
    route: Route,
    call: CallOptions,
    parse: (body: unknown) => T,
    write?: WritePolicy<T>,
    target = routeTarget(route),
  ): Promise<Answer<T>> {
    const started = Date.now();
    const deadline = Math.min(started + this.config.timeoutMs, call.deadline);
    const trackers = startTracking(call.observers ? [...this.observers, ...call.observers] : this.observers, this.callStart(route, write));
    const run: Run = {
      route,
      target,
      call,
      headers: withTrackerHeaders(write ? { ...call.headers, ...write.headers } : call.headers, trackers),
      trackers,
      deadline,
      budgetMs: Math.max(0, deadline - started),
      started,
      upstreamMs: 0,
      attempts: 0,
      lastStatus: undefined,
      freeRetryUsed: false,
      write,
      outcomeUnknown: false,
    };
    const end = (outcome: CallEnd['outcome']) =>
      endTracking(trackers, {
        attempts: run.attempts,
        durationMs: Date.now() - started,
        outcome,
        ...(run.lastStatus === undefined ? {} : { status: run.lastStatus }),
      });
    try {
      const answer = await this.run(run, parse);
      end(answer.refused ? 'refused' : answer.value === NOT_FOUND ? 'not-found' : 'ok');
      return answer;
    } catch (error) {
      if (!(error instanceof UpstreamFailure)) throw error;
      // A call nobody waits for any more is not the upstream's failure (metrics, spans).
      end(cancelSignal(run)?.aborted ? 'cancelled' : error.code);
      throw run.write && run.outcomeUnknown ? this.withNote(error, run.write.unknownOutcome) : error;
    }
  }

  private async run<T>(run: Run, parse: (body: unknown) => T): Promise<Answer<T>> {
    // Once an attempt has failed, a retry the gateway declines to make (breaker just opened, no budget left, no
    // free slot) ends the call with that attempt's failure: the client learns what the upstream did, not that a
    // retry was skipped. Only a call that never reached the upstream reports CIRCUIT_OPEN or a gateway-side TIMEOUT.
    let failed: AttemptProblem | undefined;
    const stop = (instead: () => UpstreamFailure) => (failed ? this.failure(failed, run.attempts) : instead());
    for (;;) {
      if (run.deadline - Date.now() < MIN_ATTEMPT_MS) throw stop(() => this.notCalled(run, 'deadline'));
      const admission = this.breaker ? this.breaker.admit() : 'call';
      if (!admission) {
        throw stop(() => new UpstreamFailure(this.name, 'CIRCUIT_OPEN', `${this.name} is failing; the gateway is not calling it for now`, 0));
      }
      let release: () => void;
      try {
        release = await this.slots.acquire(run.deadline, cancelSignal(run), run.call.queueKey);
      } catch (error) {
        this.breaker?.release(admission);
        const saturated = error instanceof SlotTimeout && error.queueFull;
        throw stop(() => (saturated ? this.notCalled(run, 'saturated') : this.notCalled(run, 'slots')));
      }
      if (run.deadline - Date.now() < MIN_ATTEMPT_MS) {
        release();
        this.breaker?.release(admission);
        throw stop(() => this.notCalled(run, 'deadline'));
      }
      // Only a call that reaches the upstream earns retries: calls the gateway itself could not make must not.
      if (run.attempts === 0) this.retryBudget.onCall();
      run.attempts++;
      const timing = this.attemptTiming(run);
      let result: AttemptResult<T>;
      try {
        result = await this.attempt(run, parse);
      } catch (error) {
        // Not an upstream outcome but a gateway bug: it must not keep the breaker's one probe (half-open for good).
        this.breaker?.release(admission);
        throw error;
      } finally {
        release();
      }
      this.recordOutcome(admission, run, result, timing);
      if (result.ok) {
        const { value, refused, cacheControl, etag } = result;
        return { value, attempts: run.attempts, cacheControl, etag, startedAt: run.started, ...(refused ? { refused } : {}) };
      }
      failed = result.problem;
      const delayMs = this.retryDelay(run, result);
      if (delayMs === undefined) throw this.failure(result.problem, run.attempts);
      run.upstreamMs += delayMs;
      try {
        await sleep(delayMs, undefined, { signal: cancelSignal(run) });
      } catch {
        throw this.failure(result.problem, run.attempts);
      }
    }
  }

  private async attempt<T>(run: Run, parse: (body: unknown) => T): Promise<AttemptResult<T>> {
    const started = Date.now();
    const result = await sendAttempt({
      service: this.name,
      got: this.http.got,
      route: run.route,
      target: run.target,
      headers: run.headers,
      // A write that starts going out is not called back: the upstream may act on it either way.
      signal: run.write ? undefined : run.call.signal,
      remainingMs: run.deadline - started,
      budgetMs: run.budgetMs,
      connectTimeoutMs: this.config.connectTimeoutMs,
      maxResponseBytes: this.config.maxResponseBytes,
      parse,
      ...(run.write ? { refusal: run.write.refusal as (status: number, body: unknown) => T | undefined } : {}),
    });
    run.lastStatus = result.status;
    run.upstreamMs += Date.now() - started;
    if (!result.ok && result.sent && leavesOutcomeUnknown(result.problem)) run.outcomeUnknown = true;
    const attempt = {
      attempt: run.attempts,
      durationMs: Date.now() - started,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.ok ? {} : { code: result.problem.code }),
    };
    for (const tracker of run.trackers) tracker.attemptEnded?.(attempt);
    return result;
  }

  /** Where an attempt starts: how much time the upstream was due, and how much of the call's time the gateway took. */
  private attemptTiming(run: Run): AttemptTiming {
    const now = Date.now();
    return { startedAt: now, dueMs: run.budgetMs - run.upstreamMs, ownDelayMs: now - run.started - run.upstreamMs };
  }

  /** Feeds the breaker: only what says the upstream is unwell counts as a failure. */
  private recordOutcome(admission: Admission, run: Run, result: AttemptResult<unknown>, timing: AttemptTiming): void {
    if (!this.breaker) return;
    // A cancelled call says nothing about the upstream, nor does a timeout the gateway or its client caused.
    if (cancelSignal(run)?.aborted || (!result.ok && result.problem.code === 'TIMEOUT' && this.timeoutNotUpstreams(run, timing))) {
      return this.breaker.release(admission);
    }
    const unwell = !result.ok && (result.problem.code !== 'HTTP_ERROR' || isUnwellStatus(result.problem.httpStatus));
    this.breaker.record(admission, unwell);
  }

  /**
   * A timed-out attempt that did not get the time its upstream was due: the client asked for a shorter budget, or
   * the gateway's own saturation ate into it — time waiting for a slot, event-loop stalls before or during the
   * attempt. Under a flood, calls that waited in the queue start with little time left and time out against a
   * healthy upstream; counting them would open its breaker for every client.
   */
  private timeoutNotUpstreams(run: Run, timing: AttemptTiming): boolean {
    if (run.call.clientShortened === true && run.budgetMs < this.config.timeoutMs) return true;
    return timing.ownDelayMs + loopStalls.since(timing.startedAt) > timing.dueMs * OWN_DELAY_SHARE;
  }

  /**
   * Full-jitter backoff; `undefined` when no retry may start: not retryable,
   * out of tries or of retry budget, or the wait (Retry-After included) does
   * not fit in what is left of the deadline.
   */
  private retryDelay(run: Run, result: Extract<AttemptResult<unknown>, { ok: false }>): number | undefined {
    const { problem } = result;
    if (!problem.retryable) return undefined;
    // A write that is not safe to repeat is sent again only if no byte of it can have reached the upstream.
    if (run.write && !run.write.repeatable && result.sent) return undefined;
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

  private callStart(route: Route, write?: WritePolicy<unknown>): CallStart {
    const hash = write?.idempotencyKeyHash;
    return {
      service: this.name,
      route: route.template,
      method: route.method ?? 'GET',
      keys: route.keys,
      batch: route.batch,
      ...(hash ? { idempotencyKeyHash: hash } : {}),
      ...(route.cacheMiss ? { cache: 'miss' as const } : {}),
    };
  }

  /** No attempt could start. Says which limit stopped it: a call never made is not said to have gone unanswered. */
  private notCalled(run: Run, why: 'deadline' | 'slots' | 'saturated'): UpstreamFailure {
    let because: string;
    if (why === 'slots') because = `all ${this.config.maxConcurrency} connections to it stayed busy until the deadline`;
    else if (why === 'saturated') because = 'it is saturated (too many calls already waiting)';
    // The deadline is the service timeout, or the request's budget when that ends first.
    else because = run.deadline === run.call.deadline ? "the request's time budget ran out first" : `its ${this.config.timeoutMs} ms timeout passed first`;
    return new UpstreamFailure(this.name, 'TIMEOUT', `${this.name} was not called: ${because}`, 0);
  }

  private failure(problem: AttemptProblem, attempts: number): UpstreamFailure {
    return new UpstreamFailure(this.name, problem.code, problem.message, attempts, problem.httpStatus);
  }

  private withNote(failure: UpstreamFailure, note: string): UpstreamFailure {
    return new UpstreamFailure(this.name, failure.code, `${failure.message}; ${note}`, failure.attempts, failure.httpStatus);
  }
}

/**
 * What cancels a call when the client goes away: a read's whole call; a
 * write's only until its first attempt starts (nothing was sent yet).
 */
function cancelSignal(run: Run): AbortSignal | undefined {
  return run.write && run.attempts > 0 ? undefined : run.call.signal;
}

/** A failed attempt that reached the upstream says whether it acted only when the upstream refused it (a 4xx). */
function leavesOutcomeUnknown({ code, httpStatus }: AttemptProblem): boolean {
  return !(code === 'HTTP_ERROR' && httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500);
}

interface AttemptTiming {
  readonly startedAt: number;
  /** The call's budget less what the upstream's own earlier attempts and backoff used. */
  readonly dueMs: number;
  /** Time of the call so far that was not the upstream's: waits for a slot, stalls between steps. */
  readonly ownDelayMs: number;
}

function isUnwellStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 408 || status === 429;
}
