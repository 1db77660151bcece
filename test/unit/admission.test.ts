import { describe, expect, it } from 'vitest';
import { AdmissionBudget } from '../../src/security/admission.js';

/** The budget on its own: what is admitted when, and that every share comes back. */
describe('AdmissionBudget', () => {
  it('admits while the cost fits, then holds the rest until a share is released', async () => {
    const budget = new AdmissionBudget(100, 5_000);
    const first = await budget.acquire(60);
    expect(budget.admitted).toBe(60);
    let second: unknown;
    const waiting = budget.acquire(60).then((release) => (second = release));
    await Promise.resolve();
    expect(second).toBeUndefined();
    first!();
    await waiting;
    expect(second).toEqual(expect.any(Function));
    expect(budget.admitted).toBe(60);
  });

  it('lets the cheapest waiter in first, and at once when it fits', async () => {
    const budget = new AdmissionBudget(100, 5_000);
    const holder = await budget.acquire(70);
    const order: string[] = [];
    const dear = budget.acquire(80).then((release) => (order.push('dear'), release));
    const cheap = await budget.acquire(30);
    expect(cheap).toEqual(expect.any(Function));
    const middle = budget.acquire(50).then((release) => (order.push('middle'), release));
    holder!();
    cheap!();
    (await middle)!();
    (await dear)!();
    expect(order).toEqual(['middle', 'dear']);
    expect(budget.admitted).toBe(0);
  });

  it('turns a waiter away after the wait, or when its client leaves, and counts a release once', async () => {
    const budget = new AdmissionBudget(100, 50);
    const holder = await budget.acquire(100);
    expect(await budget.acquire(1)).toBeUndefined();

    const leaving = new AbortController();
    const left = budget.acquire(1, leaving.signal);
    leaving.abort();
    expect(await left).toBeUndefined();

    holder!();
    holder!();
    expect(budget.admitted).toBe(0);
    // Nobody gone is admitted behind the scenes: the whole budget is free.
    expect(await budget.acquire(100)).toEqual(expect.any(Function));
  });

  it('runs an operation dearer than the whole budget alone rather than never', async () => {
    const budget = new AdmissionBudget(100, 5_000);
    const release = await budget.acquire(1_000);
    expect(budget.admitted).toBe(100);
    release!();
  });
});
