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

/** Everything a user has, three lists deep: the fragment of issue 16's list-amplification attack. */
const WHOLE_USER =
  'fragment U on User { id name email orders { id userId productId quantity total status createdAt ' +
  'product { id name price stock { productId available warehouse } sales { productId unitsSold revenue } } } ' +
  'notifications { id userId message read createdAt } }';

/**
 * ~500 bytes that ask for every user in `$i` with everything they have, `aliases` times over. With 10 aliases and
 * 100 ids its answer is ~1 MB and ~0.7 s of CPU, yet graphql-armor priced it at 2,240 (under its 5,000 limit).
 */
export function listAmplificationQuery(aliases: number): string {
  const fields = Array.from({ length: aliases }, (_, index) => `a${index}:users(ids:$i){...U}`).join(' ');
  return `query Q($i:[ID!]!){ ${fields} } ${WHOLE_USER}`;
}

/** The ids "1".."count" (demo users all exist up to 300). */
export function userIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(index + 1));
}
