import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ORDER } from '../helpers/faults.js';
import { postIncremental } from '../helpers/incremental.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/** Where the modules meet: shapes vs GraphQL types, sharing vs budgets, breakers vs clients, @defer vs paths. */
let gw: TestGateway | undefined;
let upstream: TestUpstream | undefined;
afterEach(async () => {
  await gw?.close();
  await upstream?.close();
  gw = upstream = undefined;
});

describe('upstream values GraphQL cannot carry', () => {
  it('an Int beyond 32 bits is the upstream\'s BAD_RESPONSE, not a gateway error', async () => {
    upstream = await startUpstream((_req, res) => sendJson(res, 200, [{ ...ORDER, quantity: 3_000_000_000 }]));
    gw = await startGateway({ urls: { orders: upstream.url } });
    const { body } = await gw.query(`{ dashboard(userId: "1") { user { name } orders { id quantity } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.orders).toBeNull();
    expect(body.extensions.errors[0]).toMatchObject({ service: 'orders', code: 'BAD_RESPONSE', paths: [['dashboard', 'orders']] });
  });

  it('an order id that is never sent anywhere may hold any characters', async () => {
    upstream = await startUpstream((_req, res) => sendJson(res, 200, [{ ...ORDER, id: '2024/17' }]));
    gw = await startGateway({ urls: { orders: upstream.url } });
    const { body } = await gw.query(`{ dashboard(userId: "1") { orders { id } } }`);
    expect(body).toEqual({ data: { dashboard: { orders: [{ id: '2024/17' }] } } });
  });
});

describe('unknown keys', () => {
  it('an unknown user has [] orders with batching on and off alike', async () => {
    const query = `{ dashboard(userId: "nobody") { user { name } orders { id } notifications { id } } }`;
    gw = await startGateway();
    const batched = (await gw.query(query)).body;
    await gw.close();
    gw = await startGateway({ env: { ORDERS_BATCH: 'false', NOTIFICATIONS_BATCH: 'false', USERS_BATCH: 'false' } });
    const perKey = (await gw.query(query)).body;
    expect(perKey).toEqual(batched);
    expect(batched).toEqual({ data: { dashboard: { user: null, orders: [], notifications: [] } } });
  });
});

describe('client budgets', () => {
  it('timeouts that a client\'s short x-request-timeout-ms caused do not open the breaker for everyone', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 150 } } }, env: { USERS_BREAKER_FAILURES: '3' } });
    for (let i = 0; i < 5; i++) {
      const { body } = await gw.query(`{ user(id: "${i + 1}") { name } }`, undefined, { 'x-request-timeout-ms': '60' });
      expect(body.extensions.errors[0].code).toBe('TIMEOUT');
    }
    const { body } = await gw.query(`{ user(id: "9") { name } }`);
    expect(body.extensions).toBeUndefined();
    expect(body.data.user.name).toEqual(expect.any(String));
  });

  it('a request with a short budget does not share its call, so it cannot cut short another request\'s answer', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 200 } } } });
    const hurried = gw.query(`{ user(id: "4") { name } }`, undefined, { 'x-request-timeout-ms': '80' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const patient = await gw.query(`{ user(id: "4") { name } }`);
    expect((await hurried).body.extensions.errors[0].code).toBe('TIMEOUT');
    expect(patient.body.extensions).toBeUndefined();
    expect(patient.body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(2);
  });
});

describe('operator budgets', () => {
  it('timeouts under an operator budget shorter than the service timeout still open the breaker', async () => {
    gw = await startGateway({ env: { REQUEST_TIMEOUT_MS: '150', USERS_BREAKER_FAILURES: '3' }, demo: { knobs: { users: { hang: true } } } });
    for (let i = 0; i < 3; i++) {
      expect((await gw.query(`{ user(id: "${i + 1}") { name } }`)).body.extensions.errors[0].code).toBe('TIMEOUT');
    }
    const { body, ms } = await gw.query(`{ user(id: "9") { name } }`);
    expect(body.extensions.errors[0].code).toBe('CIRCUIT_OPEN');
    expect(ms).toBeLessThan(100);
  });
});

describe('in-flight sharing seen per request', () => {
  it('a request that joined another\'s call lists it in its own upstream trace, marked shared', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 150 } } } });
    const first = gw.query(`{ user(id: "5") { name } }`, undefined, { 'x-gateway-trace': '1' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await gw.query(`{ user(id: "5") { name } }`, undefined, { 'x-gateway-trace': '1' });
    const own = (await first).body.extensions.upstreams;
    expect(own).toEqual([expect.objectContaining({ service: 'users', attempts: 1 })]);
    expect(own[0].shared).toBeUndefined();
    expect(second.body.extensions.upstreams).toEqual([expect.objectContaining({ service: 'users', attempts: 0, shared: true })]);
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });
});

describe('@defer', () => {
  it('a field nulled in both the initial and a deferred selection is listed once per part', async () => {
    gw = await startGateway();
    const { parts } = await postIncremental(gw.url, 'multipart', {
      query: `{ dashboard(userId: "unlucky") { notifications { id } ... @defer { notifications { message } } } }`,
    });
    const entries = parts.flatMap((part) => part.body.extensions?.errors ?? []) as Array<{ paths: unknown[] }>;
    expect(entries.length).toBeGreaterThan(0);
    for (const { paths } of entries) expect(new Set(paths.map((path) => JSON.stringify(path))).size).toBe(paths.length);
  });
});
