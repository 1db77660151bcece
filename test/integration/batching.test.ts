import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

const FIFTY = Array.from({ length: 50 }, (_, i) => String(i + 1));
const NESTED = `query ($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name stock { available } } } notifications { id } } }`;

function env(batch: boolean, extra: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_BATCH`, String(batch)])), ...extra };
}

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('batching', () => {
  it('with batching on, the nested 50-user query makes one call per service: 5 in all', async () => {
    gw = await startGateway({ env: env(true) });
    const { body } = await gw.query(NESTED, { ids: FIFTY });
    expect(body.errors).toBeUndefined();
    expect(body.data.users).toHaveLength(50);
    expect(callCounts(gw.demo)).toEqual({ users: 1, orders: 1, notifications: 1, products: 1, inventory: 1 });
    expect(gw.demo.stats.users.calls[0]!.path).toMatch(/^\/users\?ids=1%2C2%2C3/);
  });

  it('with batching off, one call per distinct key, same answer', async () => {
    gw = await startGateway({ env: env(true) });
    const batched = await gw.query(NESTED, { ids: FIFTY });
    await gw.close();

    gw = await startGateway({ env: env(false) });
    const perKey = await gw.query(NESTED, { ids: FIFTY });
    expect(perKey.body).toEqual(batched.body);
    const distinctProducts = new Set(gw.demo.stats.products.calls.map((c) => c.path)).size;
    expect(callCounts(gw.demo)).toEqual({
      users: 50,
      orders: 50,
      notifications: 50,
      products: distinctProducts,
      inventory: distinctProducts,
    });
    expect(distinctProducts).toBeGreaterThan(5);
    // Each product was asked for once, even when many orders share it.
    expect(gw.demo.stats.products.calls).toHaveLength(distinctProducts);
    expect(gw.demo.stats.users.calls.every((c) => /^\/users\/\d+$/.test(c.path))).toBe(true);
  });

  it('splits a batch at MAX_BATCH_SIZE', async () => {
    gw = await startGateway({ env: env(true, { USERS_MAX_BATCH_SIZE: '20' }) });
    const { body } = await gw.query(`query ($ids: [ID!]!) { users(ids: $ids) { id } }`, { ids: FIFTY });
    expect(body.data.users.map((u: { id: string }) => u.id)).toEqual(FIFTY);
    const sizes = gw.demo.stats.users.calls.map((c) => new URL(c.path, 'http://x').searchParams.get('ids')!.split(',').length);
    expect(sizes).toEqual([20, 20, 10]);
  });

  it('never has more than MAX_CONCURRENCY calls in flight to a service', async () => {
    gw = await startGateway({
      env: env(false, { USERS_MAX_CONCURRENCY: '4' }),
      demo: { knobs: { users: { latencyMs: 40 } } },
    });
    const started = performance.now();
    const { body } = await gw.query(`query ($ids: [ID!]!) { users(ids: $ids) { id } }`, { ids: FIFTY.slice(0, 20) });
    expect(body.data.users).toHaveLength(20);
    expect(gw.demo.stats.users.calls).toHaveLength(20);
    expect(gw.demo.stats.users.maxInFlight).toBe(4);
    // 20 calls, 4 at a time, 40 ms each: at least 5 rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('the in-flight cap holds across concurrent GraphQL requests', async () => {
    gw = await startGateway({
      env: env(false, { PRODUCTS_MAX_CONCURRENCY: '3' }),
      demo: { knobs: { products: { latencyMs: 30 } } },
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => gw!.query(`{ products(ids: ["p${i * 2 + 1}", "p${i * 2 + 2}"]) { id } }`)),
    );
    expect(answers.every((a) => a.body.data.products.length === 2)).toBe(true);
    expect(gw.demo.stats.products.calls).toHaveLength(12);
    expect(gw.demo.stats.products.maxInFlight).toBe(3);
  });

  it('dedupes keys within a request: a product shared by orders is fetched once', async () => {
    gw = await startGateway({ env: env(true) });
    await gw.query(`{ a: product(id: "p1") { name } b: product(id: "p1") { name } c: products(ids: ["p1", "p2", "p1"]) { id } }`);
    expect(gw.demo.stats.products.calls.map((c) => c.path)).toEqual(['/products?ids=p1%2Cp2']);
  });

  it('caches per request only: a second request calls the upstream again', async () => {
    gw = await startGateway({ env: env(true) });
    await gw.query(`{ user(id: "1") { name } }`);
    await gw.query(`{ user(id: "1") { name } }`);
    expect(callCounts(gw.demo).users).toBe(2);
  });
});
