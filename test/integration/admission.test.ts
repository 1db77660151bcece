import { afterEach, describe, expect, it } from 'vitest';
import { userIds } from '../helpers/attacks.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postIncremental } from '../helpers/incremental.js';

/**
 * Admission control: the cost executing at once stays within
 * MAX_COST_IN_FLIGHT. Here the budget (250) holds one 100-user query
 * (cost 200) and the users service takes 600 ms to answer, so a second one
 * must wait, and after ADMISSION_WAIT_MS is told to come back.
 */
const HEAVY = 'query ($ids: [ID!]!) { users(ids: $ids) { name } }';
const CHEAP = '{ product(id: "p1") { name } }';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function startBusyGateway(): Promise<TestGateway> {
  return startGateway({
    env: { MAX_COST_IN_FLIGHT: '250', ADMISSION_WAIT_MS: '300' },
    demo: { knobs: { users: { latencyMs: 600 } } },
  });
}

describe('admission control', () => {
  it('an operation that finds no room within ADMISSION_WAIT_MS gets 503 with Retry-After, having called nothing', async () => {
    gateway = await startBusyGateway();
    const ids = userIds(100);
    const first = gateway.query(HEAVY, { ids });
    const second = await gateway.query(HEAVY, { ids });

    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.body).toEqual({ errors: [{ message: 'The gateway is busy: try again shortly.', extensions: { code: 'OVERLOADED' } }] });
    expect(second.ms).toBeGreaterThanOrEqual(250);
    expect((await first).body.data.users).toHaveLength(100);
    expect(gateway.demo.stats.users.calls).toHaveLength(1);

    // The first one's share is back: the same operation runs again.
    const third = await gateway.query(HEAVY, { ids });
    expect(third.status).toBe(200);
    expect(third.body.data.users).toHaveLength(100);
  });

  it('a cheap operation is admitted at once while a dear one waits (cheapest first)', async () => {
    gateway = await startBusyGateway();
    const ids = userIds(100);
    const running = gateway.query(HEAVY, { ids });
    const waiting = gateway.query(HEAVY, { ids });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const cheap = await gateway.query(CHEAP);
    expect(cheap.status).toBe(200);
    expect(cheap.body.data.product.name).toEqual(expect.any(String));
    // Well before the running one's 600 ms upstream call ends, let alone the waiting one's.
    expect(cheap.ms).toBeLessThan(400);
    expect((await running).status).toBe(200);
    expect((await waiting).status).toBe(503);
  });

  it('a streamed answer gives its share back once sent, and so does one refused for its format', async () => {
    // Exactly one 100-user query's worth: any share left behind would keep the next one out.
    gateway = await startGateway({ env: { MAX_COST_IN_FLIGHT: '200', ADMISSION_WAIT_MS: '300' } });
    const deferred = { query: '{ dashboard(userId: "1") { user { name } ... @defer { notifications { id } } } }' };
    const streamed = await postIncremental(gateway.url, 'multipart', deferred);
    expect(streamed.parts.length).toBeGreaterThan(1);
    // A client that accepts JSON only: Yoga executes, then answers 406 without reading the stream.
    const refused = await gateway.query(deferred.query, undefined, { accept: 'application/json' });
    expect(refused.status).toBe(406);

    const heavy = await gateway.query(HEAVY, { ids: userIds(100) });
    expect(heavy.status).toBe(200);
    expect(heavy.body.data.users).toHaveLength(100);
  });
});
