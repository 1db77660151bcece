import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceName } from '../../src/services/index.js';
import { callCounts, startGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';
import { closedPortUrl, sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

const DASHBOARD = `{ dashboard(userId: "1") { user { name } orders { id } notifications { id } } }`;

let gw: TestGateway | undefined;
let upstream: TestUpstream | undefined;
afterEach(async () => {
  await gw?.close();
  await upstream?.close();
  gw = upstream = undefined;
});

/** A gateway whose `service` is the given loopback upstream; the others are the demo's. */
async function gatewayWith(service: ServiceName, handler: Parameters<typeof startUpstream>[0], options: TestGatewayOptions = {}) {
  upstream = await startUpstream(handler);
  gw = await startGateway({ ...options, urls: { [service]: upstream.url } });
  return gw;
}

/** Nothing that names where the upstream lives, or what it said, may reach the client. */
function expectNoLeak(body: unknown, ...secrets: string[]) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:\/\/|:\d{4,5}\b|\bat \w+ \(|node:internal/);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('partial failure', () => {
  it('HTTP_ERROR: a 500 nulls orders, the rest of the dashboard is there', async () => {
    await gatewayWith('orders', (_req, res) => sendJson(res, 500, { error: 'db password is hunter2' }));
    const { status, body } = await gw!.query(DASHBOARD);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.dashboard.user.name).toEqual(expect.any(String));
    expect(body.data.dashboard.orders).toBeNull();
    expect(body.data.dashboard.notifications).toEqual(expect.any(Array));
    expect(body.extensions.errors).toEqual([
      { service: 'orders', code: 'HTTP_ERROR', httpStatus: 500, message: 'orders answered HTTP 500', paths: [['dashboard', 'orders']], attempts: 1 },
    ]);
    expectNoLeak(body, 'hunter2');
    expect(upstream!.hits).toHaveLength(1); // 500 is not retried
  });

  it('TIMEOUT: a hanging upstream is cut at its deadline', async () => {
    await gatewayWith('notifications', () => {}, { env: { NOTIFICATIONS_TIMEOUT_MS: '300' } });
    const { body, ms } = await gw!.query(DASHBOARD);
    expect(body.data.dashboard.notifications).toBeNull();
    expect(body.data.dashboard.orders).toEqual(expect.any(Array));
    expect(body.extensions.errors).toEqual([
      { service: 'notifications', code: 'TIMEOUT', message: 'notifications did not answer within 300 ms', paths: [['dashboard', 'notifications']], attempts: 1 },
    ]);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
  });

  it('UNREACHABLE: a closed port, retried, then reported once', async () => {
    gw = await startGateway({ urls: { users: await closedPortUrl() } });
    const { body } = await gw.query(`{ user(id: "1") { name } dashboard(userId: "1") { user { name } orders { id } } }`);
    expect(body.data.user).toBeNull();
    expect(body.data.dashboard.user).toBeNull();
    expect(body.data.dashboard.orders).toEqual(expect.any(Array));
    expect(body.extensions.errors).toEqual([
      {
        service: 'users',
        code: 'UNREACHABLE',
        message: 'users could not be reached (connection refused)',
        paths: [['user'], ['dashboard', 'user']],
        attempts: 3,
      },
    ]);
    expectNoLeak(body);
  });

  it('BAD_RESPONSE: a body that is not JSON', async () => {
    await gatewayWith('products', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops, secret-stack-trace</html>');
    });
    const { body } = await gw!.query(`{ product(id: "p1") { name } }`);
    expect(body.data.product).toBeNull();
    expect(body.extensions.errors).toEqual([
      { service: 'products', code: 'BAD_RESPONSE', message: 'products sent a bad response: not valid JSON', paths: [['product']], attempts: 1 },
    ]);
    expectNoLeak(body, 'secret-stack-trace');
  });

  it('BAD_RESPONSE: an order without total is never a wrong answer', async () => {
    await gatewayWith('orders', (_req, res) =>
      sendJson(res, 200, [{ id: 'o1', userId: '1', productId: 'p1', quantity: 1, status: 'paid', createdAt: '2026-01-01T00:00:00.000Z' }]),
    );
    const { body } = await gw!.query(`{ user(id: "1") { name orders { id total } } }`);
    expect(body.data.user.orders).toBeNull();
    expect(body.data.user.name).toEqual(expect.any(String));
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ service: 'orders', code: 'BAD_RESPONSE', paths: [['user', 'orders']], attempts: 1 }),
    ]);
    expect(body.extensions.errors[0].message).toMatch(/^orders sent a bad response: not the documented shape \(\[0\]\.total: /);
  });

  it('BAD_RESPONSE: HTML with a 200', async () => {
    await gatewayWith('users', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>maintenance</h1>');
    });
    const { body } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body.extensions.errors[0]).toMatchObject({ code: 'BAD_RESPONSE', message: 'users sent a bad response: not JSON (content type)' });
  });

  it('one failed batch call is one entry listing every path it nulled', async () => {
    await gatewayWith('inventory', (_req, res) => sendJson(res, 503, {}), { env: { INVENTORY_RETRIES: '0' } });
    const { body } = await gw!.query(`{ products(ids: ["p1", "p2", "p3"]) { name stock { available } } }`);
    expect(body.data.products.map((p: { stock: unknown }) => p.stock)).toEqual([null, null, null]);
    expect(body.data.products.every((p: { name: string }) => typeof p.name === 'string')).toBe(true);
    expect(body.extensions.errors).toEqual([
      {
        service: 'inventory',
        code: 'HTTP_ERROR',
        httpStatus: 503,
        message: 'inventory answered HTTP 503',
        paths: [
          ['products', 0, 'stock'],
          ['products', 1, 'stock'],
          ['products', 2, 'stock'],
        ],
        attempts: 1,
      },
    ]);
    expect(upstream!.hits).toHaveLength(1);
  });

  it('with batching off, each failed per-key call is its own entry', async () => {
    await gatewayWith('users', (_req, res) => sendJson(res, 500, {}), { env: { USERS_BATCH: 'false' } });
    const { body } = await gw!.query(`{ users(ids: ["1", "2"]) { name } }`);
    expect(body.data.users).toEqual([null, null]);
    expect(body.extensions.errors.map((e: { paths: unknown }) => e.paths)).toEqual([[['users', 0]], [['users', 1]]]);
  });

  it('retries a 503 and then succeeds: no error, the data is there', async () => {
    let calls = 0;
    await gatewayWith('users', (_req, res) => {
      calls++;
      if (calls <= 2) return sendJson(res, 503, {});
      sendJson(res, 200, [{ id: '1', name: 'Ada', email: 'ada@example.com' }]);
    });
    const { body } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body).toEqual({ data: { user: { name: 'Ada' } } });
    expect(calls).toBe(3);
  });

  it('gives up after RETRIES extra tries', async () => {
    await gatewayWith('users', (_req, res) => sendJson(res, 502, {}), { env: { USERS_RETRIES: '1' } });
    const { body } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body.extensions.errors[0]).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 502, attempts: 2 });
    expect(upstream!.hits).toHaveLength(2);
  });

  it('the deadline bounds the whole call, retries included', async () => {
    let calls = 0;
    await gatewayWith(
      'users',
      (_req, res) => {
        calls++;
        setTimeout(() => sendJson(res, 503, {}), 150);
      },
      { env: { USERS_TIMEOUT_MS: '400', USERS_RETRIES: '10' } },
    );
    const { body, ms } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body.data.user).toBeNull();
    expect(ms).toBeLessThan(1200);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
    expect(body.extensions.errors[0].code).toMatch(/^(TIMEOUT|HTTP_ERROR)$/);
  });

  it('a 404 on a per-key call is null with no error', async () => {
    await gatewayWith('users', (_req, res) => sendJson(res, 404, { error: 'no' }), { env: { USERS_BATCH: 'false' } });
    const { body } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body).toEqual({ data: { user: null } });
  });

  it('does not follow redirects', async () => {
    await gatewayWith('users', (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    const { body } = await gw!.query(`{ user(id: "1") { name } }`);
    expect(body.extensions.errors[0]).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 302 });
    expect(upstream!.hits).toHaveLength(1);
  });

  it('an upstream failure never reaches top-level errors, also with NODE_ENV=production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await gatewayWith('orders', (req) => req.socket.destroy());
      const { body } = await gw!.query(DASHBOARD);
      expect(body.errors).toBeUndefined();
      expect(body.extensions.errors[0]).toMatchObject({ service: 'orders', code: 'UNREACHABLE' });
      expectNoLeak(body);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('keeps serving after every fault', async () => {
    await gatewayWith('users', (req) => req.socket.destroy());
    for (let i = 0; i < 3; i++) await gw!.query(`{ user(id: "1") { name } }`);
    const { body } = await gw!.query(`{ product(id: "p1") { name } }`);
    expect(body.data.product.name).toEqual(expect.any(String));
    expect(callCounts(gw!.demo).products).toBe(1);
  });
});
