import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { callCounts, startGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';
import * as fault from '../helpers/faults.js';
import { closedPortUrl, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/**
 * The fault suite: the orders upstream misbehaves, the rest are healthy demo
 * upstreams. For every fault the answer must arrive within the budget, with
 * the right code, the other services' data intact, and a known number of
 * upstream calls; and nothing may leak (rejections, listeners, sockets).
 */
const DASHBOARD = `{ dashboard(userId: "1") { user { name } orders { id total } notifications { id } } }`;
const TIMEOUT_MS = 1000;

const unhandled: unknown[] = [];
const warnings: Error[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const onWarning = (warning: Error) => warnings.push(warning);
let socketsBefore = 0;

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('warning', onWarning);
  socketsBefore = openSockets();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('warning', onWarning);
  expect(unhandled).toEqual([]);
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(openSockets()).toBeLessThanOrEqual(socketsBefore);
});

function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'TCPServerWrap').length;
}

let gw: TestGateway | undefined;
let orders: TestUpstream | undefined;
afterEach(async () => {
  await gw?.close();
  await orders?.close();
  gw = orders = undefined;
});

async function withFaultyOrders(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void, env: Record<string, string> = {}, options: TestGatewayOptions = {}) {
  orders = await startUpstream(handler);
  gw = await startGateway({ ...options, env: { ORDERS_TIMEOUT_MS: String(TIMEOUT_MS), ...env }, urls: { orders: orders.url } });
  return gw;
}

function expectOthersIntact(body: { data: { dashboard: { user: unknown; notifications: unknown } } }) {
  expect(body.data.dashboard.user).toEqual({ name: expect.any(String) });
  expect(body.data.dashboard.notifications).toEqual(expect.any(Array));
}

describe.each([
  { name: 'hang', handler: fault.hang, code: 'TIMEOUT', calls: 1, minMs: TIMEOUT_MS - 50 },
  { name: 'headers then stall', handler: fault.headersThenStall, code: 'TIMEOUT', calls: 1, minMs: TIMEOUT_MS - 50 },
  { name: 'drip one byte every 500 ms', handler: fault.drip(500), code: 'TIMEOUT', calls: 1, minMs: TIMEOUT_MS - 50 },
  { name: 'reset mid-body', handler: fault.resetMidBody, code: 'UNREACHABLE', calls: 3, minMs: 0 },
  { name: 'truncated body', handler: fault.truncated, code: 'BAD_RESPONSE', calls: 1, minMs: 0 },
  { name: 'HTML 502 page', handler: fault.html(502), code: 'HTTP_ERROR', calls: 3, minMs: 0 },
  { name: '200 with HTML', handler: fault.html(200), code: 'BAD_RESPONSE', calls: 1, minMs: 0 },
  { name: '503 with Retry-After: 3600', handler: fault.status(503, { 'retry-after': '3600' }), code: 'HTTP_ERROR', calls: 1, minMs: 0 },
  { name: 'an endless chunked body', handler: fault.endlessBody, code: 'BAD_RESPONSE', calls: 1, minMs: 0 },
  { name: 'a declared 200 MB body', handler: fault.hugeDeclaredBody, code: 'BAD_RESPONSE', calls: 1, minMs: 0 },
])('fault: $name', ({ handler, code, calls, minMs }) => {
  it(`answers within the budget with ${code}, the rest intact`, async () => {
    await withFaultyOrders(handler);
    const { status, body, ms } = await gw!.query(DASHBOARD);
    expect(status).toBe(200);
    expect(body.data.dashboard.orders).toBeNull();
    expectOthersIntact(body);
    expect(body.extensions.errors).toHaveLength(1);
    expect(body.extensions.errors[0]).toMatchObject({ service: 'orders', code, paths: [['dashboard', 'orders']], attempts: calls });
    expect(JSON.stringify(body)).not.toMatch(/nginx|internal|127\.0\.0\.1/);
    expect(orders!.hits).toHaveLength(calls);
    expect(ms).toBeGreaterThanOrEqual(minMs);
    expect(ms).toBeLessThan(TIMEOUT_MS + 700);
    // The gateway still serves.
    expect((await gw!.query(`{ product(id: "p1") { name } }`)).body.data.product.name).toEqual(expect.any(String));
  });
});

describe('faults that end well', () => {
  it('429 with Retry-After: 1, then success: waits and answers', async () => {
    await withFaultyOrders(fault.failThenSucceed(1, fault.status(429, { 'retry-after': '1' })), { ORDERS_TIMEOUT_MS: '2500' });
    const { body, ms } = await gw!.query(DASHBOARD);
    expect(body.extensions).toBeUndefined();
    expect(body.data.dashboard.orders).toEqual([{ id: 'o1', total: 9.5 }]);
    expect(orders!.hits).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2500);
  });

  it('N failures then success: retried within RETRIES', async () => {
    await withFaultyOrders(fault.failThenSucceed(2, fault.status(503)));
    const { body } = await gw!.query(DASHBOARD);
    expect(body.extensions).toBeUndefined();
    expect(body.data.dashboard.orders).toEqual([{ id: 'o1', total: 9.5 }]);
    expect(orders!.hits).toHaveLength(3);
  });

  it('302 to another local server: not followed', async () => {
    const elsewhere = await startUpstream(fault.status(200));
    try {
      await withFaultyOrders(fault.redirectTo(new URL('/orders', elsewhere.url).href));
      const { body } = await gw!.query(DASHBOARD);
      expect(body.extensions.errors[0]).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 302 });
      expect(elsewhere.hits).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('__proto__ and constructor keys in JSON pollute nothing', async () => {
    await withFaultyOrders(fault.prototypePollution);
    const { body } = await gw!.query(DASHBOARD);
    expect(body.extensions).toBeUndefined();
    expect(body.data.dashboard.orders).toEqual([{ id: 'o1', total: 9.5 }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('an upstream closing keep-alive sockets after 1 s, with calls about 1 s apart', async () => {
    orders = await startUpstream(fault.failThenSucceed(0, fault.hang));
    orders.server.keepAliveTimeout = 1000;
    gw = await startGateway({ env: { ORDERS_RETRIES: '0' }, urls: { orders: orders.url } });
    for (let i = 0; i < 4; i++) {
      const { body } = await gw.query(DASHBOARD);
      expect(body.extensions).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 990 + i * 5));
    }
  });

  it('a closed port: UNREACHABLE after the retries, fast', async () => {
    gw = await startGateway({ urls: { orders: await closedPortUrl() } });
    const { body, ms } = await gw.query(DASHBOARD);
    expect(body.extensions.errors[0]).toMatchObject({ code: 'UNREACHABLE', attempts: 3 });
    expectOthersIntact(body);
    expect(ms).toBeLessThan(1000);
  });
});

describe('budgets', () => {
  it('a client may shorten the request budget with x-request-timeout-ms', async () => {
    await withFaultyOrders(fault.hang, { ORDERS_TIMEOUT_MS: '5000' });
    const { body, ms } = await gw!.query(DASHBOARD, undefined, { 'x-request-timeout-ms': '300' });
    expect(body.extensions.errors[0]).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/within (2\d\d|300) ms/) });
    expect(ms).toBeLessThan(1000);
  });

  it('a budget used up before any call says the service was not called, not that it did not answer', async () => {
    await withFaultyOrders(fault.hang);
    const { body } = await gw!.query(DASHBOARD, undefined, { 'x-request-timeout-ms': '0' });
    expect(body.extensions.errors).toContainEqual(
      expect.objectContaining({ service: 'orders', code: 'TIMEOUT', attempts: 0, message: "orders was not called: the request's time budget ran out first" }),
    );
    expect(orders!.hits).toHaveLength(0);
  });

  it('but never lengthen it past REQUEST_TIMEOUT_MS', async () => {
    await withFaultyOrders(fault.hang, { ORDERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '400' });
    const { body, ms } = await gw!.query(DASHBOARD, undefined, { 'x-request-timeout-ms': '60000' });
    expect(body.extensions.errors[0].code).toBe('TIMEOUT');
    expect(ms).toBeLessThan(1200);
  });

  it('when the client goes away, its upstream calls are aborted', async () => {
    const closed: number[] = [];
    const started = Date.now();
    await withFaultyOrders((req) => req.on('close', () => closed.push(Date.now() - started)), { ORDERS_TIMEOUT_MS: '5000' });
    const controller = new AbortController();
    const request = fetch(gw!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: DASHBOARD }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await request).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toBeLessThan(1500);
  });
});

describe('isolation', () => {
  it('a saturated users service does not slow products', async () => {
    const users = await startUpstream(fault.hang);
    try {
      gw = await startGateway({ env: { USERS_MAX_CONCURRENCY: '2', USERS_BATCH: 'false', USERS_TIMEOUT_MS: '1500' }, urls: { users: users.url } });
      const stuck = gw.query(`{ users(ids: ["1", "2", "3", "4"]) { id } }`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { body, ms } = await gw.query(`{ product(id: "p1") { name } }`);
      expect(body.data.product.name).toEqual(expect.any(String));
      expect(ms).toBeLessThan(500);
      expect(users.hits).toHaveLength(2);
      // Two ids got a slot and timed out; the two that waited for one were never called, and say why. The slots free
      // up at the very moment the waiters' deadline passes, so a waiter may report either limit.
      const messages = (await stuck).body.extensions.errors.map((entry: { message: string; attempts: number }) => [entry.message, entry.attempts]);
      expect(messages).toEqual(
        expect.arrayContaining([
          ['users did not answer within 1500 ms', 1],
          [
            expect.stringMatching(/^users was not called: (all 2 connections to it stayed busy until the deadline|its 1500 ms timeout passed first)$/),
            0,
          ],
        ]),
      );
    } finally {
      await users.close();
    }
  });

  it('a full wait queue fails at once instead of queueing', async () => {
    const users = await startUpstream(fault.hang);
    try {
      gw = await startGateway({
        env: { USERS_MAX_CONCURRENCY: '1', USERS_MAX_QUEUE: '0', USERS_BATCH: 'false', USERS_TIMEOUT_MS: '1500' },
        urls: { users: users.url },
      });
      const first = gw.query(`{ user(id: "1") { id } }`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { body, ms } = await gw.query(`{ user(id: "2") { id } }`);
      expect(body.extensions.errors[0]).toMatchObject({ code: 'TIMEOUT', attempts: 0, message: 'users was not called: it is saturated (too many calls already waiting)' });
      expect(ms).toBeLessThan(500);
      await first;
    } finally {
      await users.close();
    }
  });
});

describe('an always-503 upstream under steady load', () => {
  it('the retry budget keeps upstream calls near 1.2x the client calls, not 3x', async () => {
    await withFaultyOrders(fault.status(503), { ORDERS_BREAKER: 'false', ORDERS_RETRY_BUDGET_MIN_PER_SEC: '1' });
    const requests = 100;
    for (let i = 0; i < requests; i++) await gw!.query(DASHBOARD);
    const ratio = orders!.hits.length / requests;
    expect(ratio).toBeGreaterThan(1.05);
    expect(ratio).toBeLessThan(1.4);
  });

  it('the circuit opens: no upstream traffic, CIRCUIT_OPEN; after the cool-down one probe closes it', async () => {
    let healthy = false;
    await withFaultyOrders(
      (req, res) => (healthy ? fault.failThenSucceed(0, fault.hang)(req, res) : fault.status(503)(req, res)),
      // A cool-down long enough that the 20 refused queries below end within it even on a busy machine.
      { ORDERS_BREAKER_FAILURES: '5', ORDERS_BREAKER_COOLDOWN_MS: '1500', ORDERS_RETRIES: '0' },
    );
    for (let i = 0; i < 5; i++) await gw!.query(DASHBOARD);
    expect(orders!.hits).toHaveLength(5);

    const open = await gw!.query(DASHBOARD);
    expect(open.body.extensions.errors[0]).toMatchObject({ service: 'orders', code: 'CIRCUIT_OPEN', attempts: 0 });
    expect(open.ms).toBeLessThan(200);
    for (let i = 0; i < 20; i++) await gw!.query(DASHBOARD);
    expect(orders!.hits).toHaveLength(5);

    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 1500 * 1.2 + 50));
    // Two different calls at once (identical ones would share one flight): one probe, one refused.
    const probes = await Promise.all([gw!.query(DASHBOARD), gw!.query(DASHBOARD.replace('"1"', '"2"'))]);
    expect(orders!.hits).toHaveLength(6);
    expect(probes.filter((p) => p.body.extensions === undefined)).toHaveLength(1);
    const closed = await gw!.query(DASHBOARD);
    expect(closed.body.extensions).toBeUndefined();
    expect(orders!.hits).toHaveLength(7);
    expect(callCounts(gw!.demo).users).toBeGreaterThan(0);
  });

  it('a retry refused because the breaker just opened reports the 503 the upstream sent, not CIRCUIT_OPEN', async () => {
    // A generous retry budget, so that it is the breaker, not the budget, that refuses the second request's last retry.
    await withFaultyOrders(fault.status(503), { ORDERS_BREAKER_FAILURES: '5', ORDERS_RETRIES: '2', ORDERS_RETRY_BUDGET_MIN_PER_SEC: '100' });
    const first = await gw!.query(DASHBOARD);
    expect(first.body.extensions.errors[0]).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 503, attempts: 3 });
    // Two more failed attempts open the breaker; the third try is refused, but both attempts reached orders.
    const second = await gw!.query(DASHBOARD);
    expect(second.body.extensions.errors[0]).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 503, attempts: 2 });
    expect(orders!.hits).toHaveLength(5);
    const third = await gw!.query(DASHBOARD);
    expect(third.body.extensions.errors[0]).toMatchObject({ code: 'CIRCUIT_OPEN', attempts: 0 });
    expect(orders!.hits).toHaveLength(5);
  });
});
