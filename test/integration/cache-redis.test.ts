import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextOf, waitFor } from '../helpers/cache.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs, type CapturedLogs } from '../helpers/logs.js';
import { scrape, total } from '../helpers/prometheus.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startUsersUpstream, type UsersUpstream } from '../helpers/users-upstream.js';

/**
 * The cache never hurts: a real redis-server that is killed mid-load and
 * started again, paused, or full of garbage, and a "Redis" that answers
 * nonsense, change nothing in the answers; the requests go to the upstreams
 * as if nothing were cached, /readiness stays ready, and the log says so
 * once per change. And a batch of 100 keys is one round trip to Redis.
 */
let redis: TestRedis;
let users: UsersUpstream;
let gw: TestGateway | undefined;
let logs: CapturedLogs;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.close());
beforeEach(async () => {
  users = await startUsersUpstream();
  logs = captureLogs('info');
  await redis.client.flushall();
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  await users.close();
});

const USERS = 'query ($ids: [ID!]!) { users(ids: $ids) { id name } }';
const ids = (from: number, count: number) => Array.from({ length: count }, (_, index) => String(from + index));
const unavailable = () => logs.lines('cache store unavailable: reads go to the upstreams until it answers again');
const availableAgain = () => logs.lines('cache store available again');

async function gatewayOn(storeUrl: string, env: Record<string, string> = {}): Promise<TestGateway> {
  gw = await startGateway({ urls: { users: users.url }, env: { CACHE_STORE: storeUrl, ...env }, logger: logs.logger });
  return gw;
}

/** Every answer complete and correct, with no failure reported. */
function expectComplete(body: { data: { users: Array<{ id: string; name: string }> }; extensions?: unknown }, asked: readonly string[]): void {
  expect(body.extensions).toBeUndefined();
  expect(body.data.users.map((user) => user.id)).toEqual(asked);
  for (const user of body.data.users) expect(user.name).toBe(`v1 ${user.id}`);
}

async function readiness(gateway: TestGateway): Promise<unknown> {
  const response = await fetch(gateway.url.replace('/graphql', '/readiness'));
  return { status: response.status, body: await response.json() };
}

describe('round trips', () => {
  it('a batch of 100 keys is one round trip to read, and one to store', async () => {
    const proxy = await countingProxy(redis.port);
    try {
      const gateway = await gatewayOn(`redis://127.0.0.1:${proxy.port}`, { CACHE_STORE_TIMEOUT_MS: '1000' });
      await gateway.query(USERS, { ids: ['1'] }); // connects
      await waitFor(() => proxy.writes > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));

      proxy.writes = 0;
      expectComplete((await gateway.query(USERS, { ids: ids(101, 100) })).body, ids(101, 100));
      await waitFor(async () => (await redis.client.exists('gateway:v1:userById:200')) === 1);
      expect(proxy.writes).toBe(2);

      proxy.writes = 0;
      const calls = users.calls.length;
      expectComplete((await gateway.query(USERS, { ids: ids(101, 100) })).body, ids(101, 100));
      expect(users.calls).toHaveLength(calls);
      expect(proxy.writes).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

describe('a write while Redis does not answer', () => {
  it('answers after the store deadline, and its removal still reaches Redis when it answers again', async () => {
    const proxy = await countingProxy(redis.port);
    try {
      const gateway = await gatewayOn(`redis://127.0.0.1:${proxy.port}`, { CACHE_STORE_TIMEOUT_MS: '200' });
      // Asked until stored: before the connection is up, nothing is.
      await waitFor(async () => {
        await gateway.query(USERS, { ids: ['1'] });
        return (await redis.client.exists('gateway:v1:userById:1')) === 1;
      });
      proxy.holding = true;
      const started = Date.now();
      await contextOf(gateway).forget('userById', ['1']);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await redis.client.exists('gateway:v1:userById:1')).toBe(1);
      proxy.release();
      await waitFor(async () => (await redis.client.exists('gateway:v1:userById:1')) === 0);
    } finally {
      await proxy.close();
    }
  });
});

describe('Redis down, slow or answering garbage', () => {
  it('killed mid-load and started again: no request lost, readiness stays ready, one log line per change', async () => {
    // A deadline this test's busy process cannot miss by accident: it is about Redis dying, not being slow.
    const gateway = await gatewayOn(redis.url, { USERS_MAX_CONCURRENCY: '256', CACHE_STORE_TIMEOUT_MS: '1000' });
    await gateway.query(USERS, { ids: ids(1, 20) });
    let sent = 0;
    const answers: Array<Promise<void>> = [];
    const ask = async (asked = ids(1 + (sent++ % 16), 5)) => {
      const { status, body } = await gateway.query(USERS, { ids: asked });
      expect(status).toBe(200);
      expectComplete(body, asked);
    };
    // 300 requests, 16 at a time; Redis dies when a third of them have been sent.
    const worker = async () => {
      while (sent < 300) {
        if (sent === 100) await redis.kill();
        answers.push(ask());
        await answers.at(-1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await Promise.all(answers);
    expect(await readiness(gateway)).toEqual({ status: 200, body: { status: 'ready', openCircuits: [] } });
    expect(unavailable()).toHaveLength(1);
    expect(availableAgain()).toHaveLength(0);

    await redis.restart();
    // Requests go on as usual; within a few cool-downs the store is probed, found again, and used.
    await waitFor(async () => {
      await ask();
      return availableAgain().length === 1;
    }, 20_000);
    await ask(ids(1, 5));
    const calls = users.calls.length;
    await ask(ids(1, 5));
    expect(users.calls).toHaveLength(calls);
    expect(unavailable()).toHaveLength(1);
    expect(availableAgain()).toHaveLength(1);
  }, 60_000);

  it('slow (paused): each operation gives up at its deadline, and the breaker stops asking it', async () => {
    const gateway = await gatewayOn(redis.url);
    await gateway.query(USERS, { ids: ids(1, 3) });
    const pausedAt = Date.now();
    await redis.client.call('CLIENT', 'PAUSE', '4000', 'ALL');
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      const { body } = await gateway.query(USERS, { ids: ids(1, 3) });
      expectComplete(body, ids(1, 3));
      expect(Date.now() - started).toBeLessThan(2000);
    }
    // All answered while Redis was still paused.
    expect(Date.now() - pausedAt).toBeLessThan(4000);
    expect(unavailable()).toHaveLength(1);
    expect(await readiness(gateway)).toEqual({ status: 200, body: { status: 'ready', openCircuits: [] } });
    const metrics = await scrape(gateway.url.replace('/graphql', '/'));
    expect(total(metrics, 'gateway_cache_store_errors_total', { service: 'users' })).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 4100 - (Date.now() - pausedAt))));
  }, 30_000);

  it('garbage under its keys: each such key is fetched, counted as a store error, and removed', async () => {
    const gateway = await gatewayOn(redis.url);
    const now = Date.now();
    const stored = (value: unknown) => JSON.stringify({ at: now, fresh: 60_000, swr: 0, sie: 0, value });
    await redis.client.hset('gateway:v1:userById:1', 'pub', 'not json');
    await redis.client.hset('gateway:v1:userById:2', 'pub', stored({ id: '2', name: 42, email: 'x' }));
    await redis.client.hset('gateway:v1:userById:3', 'pub', stored({ id: '4', name: 'someone else', email: 'x' }));
    await redis.client.set('gateway:v1:userById:4', 'a string, not a hash');
    await redis.client.hset('gateway:v1:userById:5', 'pub', JSON.stringify({ at: 'yesterday', value: null }));
    await redis.client.hset('gateway:v1:userById:6', 'pub', stored({ id: '6', name: 'kept', email: 'k' }));

    const { body } = await gateway.query(USERS, { ids: ids(1, 6) });
    expect(body.data.users.map((user: { name: string }) => user.name)).toEqual(['v1 1', 'v1 2', 'v1 3', 'v1 4', 'v1 5', 'kept']);
    expect(users.calls.map((call) => call.path)).toEqual(['/users?ids=1%2C2%2C3%2C4%2C5']);
    const metrics = await scrape(gateway.url.replace('/graphql', '/'));
    expect(total(metrics, 'gateway_cache_store_errors_total', { service: 'users' })).toBe(5);
    // Removed, then stored afresh: the next ask is answered from the cache.
    await waitFor(async () => (await redis.client.type('gateway:v1:userById:4')) === 'hash');
    await gateway.query(USERS, { ids: ids(1, 6) });
    expect(users.calls).toHaveLength(1);
    expect(unavailable()).toHaveLength(0);
  });

  it('a server that answers nonsense: the upstreams answer, readiness stays ready', async () => {
    const nonsense = await nonsenseServer();
    try {
      const gateway = await gatewayOn(`redis://127.0.0.1:${nonsense.port}`);
      for (let i = 0; i < 5; i++) expectComplete((await gateway.query(USERS, { ids: ids(1, 3) })).body, ids(1, 3));
      expect(users.calls).toHaveLength(5);
      expect(await readiness(gateway)).toEqual({ status: 200, body: { status: 'ready', openCircuits: [] } });
      expect(unavailable()).toHaveLength(1);
    } finally {
      await nonsense.close();
    }
  });

  it('unreachable from the start: the gateway starts, says so with the reason before any request, and serves', async () => {
    const gateway = await gatewayOn('redis://127.0.0.1:1');
    await waitFor(async () => logs.lines('cache store unreachable at start-up: reads go to the upstreams until it answers').length === 1);
    expect(logs.lines('cache store unreachable at start-up: reads go to the upstreams until it answers')[0]).toMatchObject({ store: 'redis', reason: 'ECONNREFUSED' });
    for (let i = 0; i < 5; i++) expectComplete((await gateway.query(USERS, { ids: ids(1, 2) })).body, ids(1, 2));
    expect(unavailable()).toEqual([expect.objectContaining({ reason: 'ECONNREFUSED' })]);
    expect(logs.raw.join('')).not.toContain('127.0.0.1:1');
  });

  it('credentials Redis refuses: the reason is its own code, and the password is never logged', async () => {
    const gateway = await gatewayOn(`redis://someone:sw0rdfish-secret@127.0.0.1:${redis.port}`);
    await waitFor(async () => {
      await gateway.query(USERS, { ids: ids(1, 2) });
      return unavailable().length === 1;
    });
    expect(unavailable()[0]).toMatchObject({ store: 'redis', reason: 'WRONGPASS' });
    expect(logs.raw.join('')).not.toContain('sw0rdfish-secret');
  });
});

interface Proxy {
  port: number;
  /** Writes the gateway sent (a pipeline is one write). */
  writes: number;
  /** While true, what the gateway sends is held back, as on a stalled network. */
  holding: boolean;
  release(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of Redis that counts the writes the gateway sends, and can hold them back. */
async function countingProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  const state: Proxy = {
    port: 0,
    writes: 0,
    holding: false,
    release() {
      state.holding = false;
      for (const send of held.splice(0)) send();
    },
    close: async () => {},
  };
  const server = net.createServer((client) => {
    const target = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(target);
    client.on('data', (chunk) => {
      state.writes++;
      if (state.holding) held.push(() => target.write(chunk));
      else target.write(chunk);
    });
    target.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      target.destroy();
    };
    client.on('close', end).on('error', end);
    target.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** Accepts connections and answers every write with bytes that are not the Redis protocol. */
async function nonsenseServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => socket.write('HTTP/1.1 418 I am a teapot\r\n\r\n{"not":"redis"}'));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
