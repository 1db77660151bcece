import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/logs.js';
import { scrape, total } from '../helpers/prometheus.js';
import { startUsersUpstream, type UsersUpstream } from '../helpers/users-upstream.js';

/** What the cache did shows in the metrics (per service) and in each request's log line. */
let users: UsersUpstream;
let gw: TestGateway;
const logs = captureLogs('info');
let now = Date.now();

beforeEach(async () => {
  users = await startUsersUpstream();
  users.cacheControl = 'max-age=10, stale-while-revalidate=10, stale-if-error=600';
  gw = await startGateway({ urls: { users: users.url }, env: { USERS_RETRIES: '0' }, logger: logs.logger, cacheClock: () => now });
});
afterEach(async () => {
  await gw.close();
  await users.close();
});

const USERS = 'query Users($ids: [ID!]!) { users(ids: $ids) { name } }';

describe('cache metrics and log fields', () => {
  it('counts hits, revalidations, misses and stale serves per service, and each request logs its own', async () => {
    await gw.query(USERS, { ids: ['1', '2'] }); // 2 misses
    await gw.query(USERS, { ids: ['1', '2', '3'] }); // 2 hits, 1 miss
    now += 15_000;
    await gw.query(USERS, { ids: ['1'] }); // 1 revalidating (a background call)
    now += 30_000;
    users.mode = 'fail';
    await gw.query(USERS, { ids: ['2', '4'] }); // fetched: 2 served stale, 4 missed and failed

    const metrics = await scrape(gw.url.replace('/graphql', '/'));
    const keys = (result: string) => total(metrics, 'gateway_cache_keys_total', { service: 'users', result });
    expect([keys('hit'), keys('revalidating'), keys('miss'), keys('stale')]).toEqual([2, 1, 4, 1]);
    expect(total(metrics, 'gateway_cache_store_errors_total')).toBe(0);
    // Four users' rows in the memory store: each a few hundred bytes as counted.
    expect(total(metrics, 'gateway_cache_memory_bytes')).toBeGreaterThan(4 * 300);
    expect(total(metrics, 'gateway_cache_memory_bytes')).toBeLessThan(4 * 2000);

    const lines = logs.lines().filter((line) => String(line['msg']).startsWith('graphql request'));
    expect(lines.map((line) => [line['upstreamCalls'], line['cacheHits'], line['cacheMisses'], line['cacheStale']])).toEqual([
      [1, 0, 2, 0],
      [1, 2, 1, 0],
      [0, 1, 0, 0],
      [1, 0, 2, 1],
    ]);
  });
});
