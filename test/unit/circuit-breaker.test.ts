import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerSettings } from '../../src/upstream/circuit-breaker.js';
import { RetryBudget } from '../../src/upstream/retry-budget.js';

const SETTINGS: BreakerSettings = { consecutiveFailures: 3, failurePercent: 50, minCalls: 10, windowMs: 1000, cooldownMs: 100, maxCooldownMs: 350 };

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, refuses, then lets one probe through', () => {
    const time = clock();
    const breaker = new CircuitBreaker(SETTINGS, time.now, () => 0.5);
    for (let i = 0; i < 3; i++) breaker.record(breaker.admit()!, true);
    expect(breaker.current).toBe('open');
    expect(breaker.admit()).toBeUndefined();
    time.advance(100);
    expect(breaker.admit()).toBe('probe');
    expect(breaker.admit()).toBeUndefined(); // only one probe at a time
    breaker.record('probe', false);
    expect(breaker.current).toBe('closed');
    expect(breaker.admit()).toBe('call');
  });

  it('tells its listener: opened (trips 1), re-opened by a failed probe (trips 2), not on a released probe, closed', () => {
    const time = clock();
    const events: string[] = [];
    const breaker = new CircuitBreaker(SETTINGS, time.now, () => 0.5, {
      opened: ({ cooldownMs, trips }) => events.push(`opened ${trips} ${cooldownMs}`),
      closed: () => events.push('closed'),
    });
    for (let i = 0; i < 3; i++) breaker.record(breaker.admit()!, true);
    time.advance(100);
    breaker.record(breaker.admit()!, true); // the probe fails: open again, for twice as long
    time.advance(200);
    breaker.release(breaker.admit()!); // a probe nobody waited for says nothing
    breaker.record(breaker.admit()!, false);
    expect(events).toEqual(['opened 1 100', 'opened 2 200', 'closed']);
  });

  it('a success resets the consecutive count', () => {
    const breaker = new CircuitBreaker(SETTINGS, clock().now);
    for (const failed of [true, true, false, true, true]) breaker.record('call', failed);
    expect(breaker.current).toBe('closed');
  });

  it('opens on the failure ratio over the window, once there are enough calls', () => {
    const time = clock();
    const breaker = new CircuitBreaker(SETTINGS, time.now);
    for (let i = 0; i < 9; i++) breaker.record('call', i % 2 === 0);
    expect(breaker.current).toBe('closed'); // 9 < minCalls
    breaker.record('call', false);
    breaker.record('call', true);
    expect(breaker.current).toBe('open');
  });

  it('forgets outcomes older than the window', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ ...SETTINGS, consecutiveFailures: 100 }, time.now);
    for (let i = 0; i < 9; i++) breaker.record('call', true);
    time.advance(1500);
    for (let i = 0; i < 9; i++) breaker.record('call', i < 4);
    expect(breaker.current).toBe('closed');
  });

  it('cool-down doubles with each trip in a row, capped', () => {
    const time = clock();
    const breaker = new CircuitBreaker(SETTINGS, time.now, () => 0.5); // jitter factor 1.0
    for (let i = 0; i < 3; i++) breaker.record('call', true);
    const cooldowns: number[] = [];
    for (let trip = 0; trip < 4; trip++) {
      let waited = 0;
      while (breaker.current === 'open') {
        time.advance(10);
        waited += 10;
      }
      cooldowns.push(waited);
      breaker.record(breaker.admit()!, true);
    }
    expect(cooldowns).toEqual([100, 200, 350, 350]);
  });

  it('a probe that never reports does not wedge the breaker', () => {
    const time = clock();
    const breaker = new CircuitBreaker(SETTINGS, time.now);
    for (let i = 0; i < 3; i++) breaker.record('call', true);
    time.advance(200);
    const probe = breaker.admit()!;
    breaker.release(probe);
    expect(breaker.admit()).toBe('probe');
  });
});

describe('RetryBudget', () => {
  it('allows about percent of calls as retries, plus the floor per second', () => {
    const time = clock();
    const budget = new RetryBudget({ percent: 20, minPerSecond: 0 }, time.now);
    let retries = 0;
    for (let i = 0; i < 1000; i++) {
      budget.onCall();
      if (budget.tryRetry()) retries++;
      if (budget.tryRetry()) retries++;
    }
    expect(retries).toBeGreaterThanOrEqual(195);
    expect(retries).toBeLessThanOrEqual(205);
  });

  it('refills the floor over time', () => {
    const time = clock();
    const budget = new RetryBudget({ percent: 0, minPerSecond: 2 }, time.now);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    time.advance(1000);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });
});
