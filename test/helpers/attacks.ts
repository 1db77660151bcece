import { expect } from 'vitest';
import { callCounts, type TestGateway } from './gateway.js';

/** Wide on purpose: the machine has 2 cores shared with other test runs. A refusal takes a few ms. */
export const FAST_MS = 2000;

export const NORMAL_QUERY = '{ user(id: "1") { name } }';

/** Upstream calls across every demo service since the last reset. */
export function totalCalls(gateway: TestGateway): number {
  return Object.values(callCounts(gateway.demo)).reduce((sum, count) => sum + count, 0);
}

/** The gateway still serves an ordinary request, calling the upstream once. */
export async function expectNormalRequestServed(gateway: TestGateway): Promise<void> {
  gateway.demo.resetStats();
  const answer = await gateway.query(NORMAL_QUERY);
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.user.name).toEqual(expect.any(String));
  expect(gateway.demo.stats.users.calls).toHaveLength(1);
}

/** Measured refusal times, printed once at the end of a file for people reading the run. */
export class RefusalTimes {
  private readonly times: Array<[string, number]> = [];

  record(attack: string, ms: number): void {
    this.times.push([attack, ms]);
  }

  print(title: string): void {
    const lines = this.times.map(([attack, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${attack}`);
    console.log(`${title}\n${lines.join('\n')}`);
  }
}
