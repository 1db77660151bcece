import { OutcomeWindow } from './outcome-window.js';
/**
 * A circuit breaker for one upstream. Closed, it counts attempt outcomes; it
 * opens after `consecutiveFailures` failures in a row, or when at least
 * `failurePercent` of the attempts in the last `windowMs` failed (once there
 * were `minCalls` of them). Open, it refuses calls at once, without upstream
 * traffic. After a cool-down (doubling with each trip in a row, capped, with
 * jitter so replicas do not probe in lockstep) it lets exactly one probe
 * through: success closes it, failure opens it again for longer.
 */
export interface BreakerSettings {
  readonly consecutiveFailures: number;
  readonly failurePercent: number;
  readonly minCalls: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Told when the breaker opens (`cooldownMs` until its next probe; `trips` in a row) and when it closes again. */
export interface BreakerListener {
  opened?(change: { readonly cooldownMs: number; readonly trips: number }): void;
  closed?(): void;
}

/** What `admit` grants: a normal call, or the one probe of a half-open breaker. */
export type Admission = 'call' | 'probe';

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutive = 0;
  private trips = 0;
  private openUntil = 0;
  private probeInFlight = false;
  /** Outcomes in the current window, oldest first. */
  private readonly window = new OutcomeWindow();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
    private readonly listener: BreakerListener = {},
  ) {}

  get current(): BreakerState {
    if (this.state === 'open' && this.now() >= this.openUntil) return 'half-open';
    return this.state;
  }

  /** `undefined` when the call must not go out. */
  admit(): Admission | undefined {
    switch (this.current) {
      case 'closed':
        return 'call';
      case 'half-open':
        if (this.probeInFlight) return undefined;
        this.state = 'half-open';
        this.probeInFlight = true;
        return 'probe';
      case 'open':
        return undefined;
    }
  }

  record(admission: Admission, failed: boolean): void {
    if (admission === 'probe') {
      this.probeInFlight = false;
      if (failed) this.trip();
      else this.close();
      return;
    }
    if (this.state !== 'closed') return; // a late answer from before the trip
    this.consecutive = failed ? this.consecutive + 1 : 0;
    const now = this.now();
    this.window.push(now, failed);
    this.window.dropUpTo(now - this.settings.windowMs);
    if (this.consecutive >= this.settings.consecutiveFailures || this.ratioExceeded()) this.trip();
  }

  /** A probe that never reported (e.g. the request was cancelled) must not wedge the breaker. */
  release(admission: Admission): void {
    if (admission === 'probe' && this.probeInFlight) {
      this.probeInFlight = false;
      this.state = 'open';
    }
  }

  private ratioExceeded(): boolean {
    if (this.window.size < this.settings.minCalls) return false;
    return this.window.failedCount * 100 >= this.settings.failurePercent * this.window.size;
  }

  private trip(): void {
    const base = Math.min(this.settings.maxCooldownMs, this.settings.cooldownMs * 2 ** this.trips);
    this.trips++;
    this.state = 'open';
    const cooldownMs = Math.round(base * (0.8 + 0.4 * this.random()));
    this.openUntil = this.now() + cooldownMs;
    this.consecutive = 0;
    this.window.clear();
    this.listener.opened?.({ cooldownMs, trips: this.trips });
  }

  private close(): void {
    this.state = 'closed';
    this.trips = 0;
    this.consecutive = 0;
    this.window.clear();
    this.listener.closed?.();
  }
}
