import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const QUERY = `{ user(id: "7") { name } }`;

describe('in-flight deduplication across requests', () => {
  it('concurrent identical GETs from different requests share one upstream call', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 150 } } } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => gw!.query(QUERY)));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]!.body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });

  it('is switchable per service', async () => {
    gw = await startGateway({ env: { USERS_DEDUPE: 'false' }, demo: { knobs: { users: { latencyMs: 150 } } } });
    await Promise.all(Array.from({ length: 5 }, () => gw!.query(QUERY)));
    expect(gw.demo.stats.users.calls).toHaveLength(5);
  });

  it('does not share once the first call has ended', async () => {
    gw = await startGateway();
    await gw.query(QUERY);
    await gw.query(QUERY);
    expect(gw.demo.stats.users.calls).toHaveLength(2);
  });

  it('one client leaving does not abort the call another client still waits for', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 400 } } } });
    const controller = new AbortController();
    const leaving = fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: controller.signal,
    }).catch(() => 'left');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const staying = gw.query(QUERY);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await leaving).toBe('left');
    const { body } = await staying;
    expect(body.extensions).toBeUndefined();
    expect(body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });

  it('a request does not join a call that the first caller\'s budget will cut short', async () => {
    // A's product call starts 300 ms into A's 1500 ms budget and needs 1300 ms: it is cut at A's deadline. B, asking
    // for the same product 600 ms in, has until 2100 ms: joining would hand it A's TIMEOUT, calling alone answers.
    gw = await startGateway({
      env: { REQUEST_TIMEOUT_MS: '1500', PRODUCTS_BATCH: 'false', PRODUCTS_RETRIES: '0' },
      demo: { knobs: { orders: { latencyMs: 300 } } },
    });
    const productId = (await gw.query(`{ user(id: "1") { orders { productId } } }`)).body.data.user.orders[0].productId as string;
    gw.demo.knobs.products.latencyMs = 1300;
    gw.demo.resetStats();

    const first = gw.query(`{ user(id: "1") { orders { product { name } } } }`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(gw.demo.stats.products.calls.length).toBeGreaterThan(0); // A's flight is under way
    const second = gw.query(`query ($id: ID!) { product(id: $id) { name } }`, { id: productId });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = gw.query(`query ($id: ID!) { product(id: $id) { name } }`, { id: productId });
    for (const answer of await Promise.all([second, third])) {
      expect(answer.body.extensions?.errors).toBeUndefined();
      expect(answer.body.data.product.name).toEqual(expect.any(String));
    }
    expect((await first).body.extensions.errors[0]).toMatchObject({ service: 'products', code: 'TIMEOUT' });
    // The second request started a flight of its own, and the third joined it: two calls for that product, not three.
    expect(gw.demo.stats.products.calls.filter((call) => call.path.endsWith(`/${productId}`))).toHaveLength(2);
  });

  it('still shares when the first caller\'s budget, not the service timeout, sets the deadline by a few ms', async () => {
    // REQUEST_TIMEOUT_MS equal to the service timeout: a call that starts a millisecond into its request is capped by
    // the request budget, and later requests' own calls would last a little longer. That must not turn sharing off.
    gw = await startGateway({ env: { REQUEST_TIMEOUT_MS: '2000', USERS_TIMEOUT_MS: '2000' }, demo: { knobs: { users: { latencyMs: 300 } } } });
    await gw.query(`{ user(id: "8") { name } }`); // a fresh gateway's first request is slow to reach its call
    gw.demo.resetStats();
    const answers: Array<ReturnType<TestGateway['query']>> = [];
    for (let i = 0; i < 10; i++) {
      answers.push(gw.query(QUERY));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const { body } of await Promise.all(answers)) expect(body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });
});
