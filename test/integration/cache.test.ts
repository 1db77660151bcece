import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextOf, waitFor } from '../helpers/cache.js';
import type { ForgetBus } from '../../src/cache/row-cache.js';
import type { GatewayOptions } from '../../src/server.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { nameOf, startUsersUpstream, type UsersUpstream } from '../helpers/users-upstream.js';

/**
 * The caching contract (docs/caching.md), clause by clause, against both
 * stores: the same behaviour in memory and in a real redis-server. The users
 * service is a test upstream whose Cache-Control, failures and answers each
 * test controls; the cache's clock is the test's, so windows of minutes are
 * crossed without waiting.
 */
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.close());

const USER = 'query ($id: ID!) { user(id: $id) { id name } }';
const USERS = 'query ($ids: [ID!]!) { users(ids: $ids) { id name } }';
const TRACE = { 'x-gateway-trace': '1' };

describe.each(['memory', 'redis'] as const)('the row cache, %s store', (store) => {
  let users: UsersUpstream;
  let now: number;
  const open: TestGateway[] = [];

  async function gateway(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<TestGateway> {
    // A deadline a busy test machine cannot miss by accident: slow stores are cache-redis.test.ts's subject.
    const storeEnv: Record<string, string> = store === 'memory' ? { CACHE_STORE: 'memory' } : { CACHE_STORE: redis.url, CACHE_STORE_TIMEOUT_MS: '2000' };
    const gw = await startGateway({ urls: { users: users.url }, env: { ...storeEnv, ...env }, cacheClock: () => now, ...options });
    open.push(gw);
    if (store === 'redis' && env['USERS_CACHE'] !== 'false') await untilConnected(gw);
    return gw;
  }
  /** Until the gateway's Redis connection is up (before that, nothing is stored), leaving no trace for the test. */
  async function untilConnected(gw: TestGateway): Promise<void> {
    await waitFor(async () => {
      await gw.query(USER, { id: '999999' });
      return (await redis.client.exists('gateway:v1:userById:999999')) === 1;
    });
    await redis.client.del('gateway:v1:userById:999999');
    users.calls.length = 0;
  }
  const nameFrom = async (gw: TestGateway, id: string, headers?: Record<string, string>) =>
    (await gw.query(USER, { id }, headers)).body.data.user?.name as string | undefined;

  beforeEach(async () => {
    users = await startUsersUpstream();
    now = Date.now();
    await redis.client.flushall();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((gw) => gw.close()));
    await users.close();
  });

  describe('freshness', () => {
    it('a row is fresh for s-maxage, else max-age: no call within it, one call after it', async () => {
      const gw = await gateway();
      users.cacheControl = 'max-age=60';
      expect(await nameFrom(gw, '1')).toBe('v1 1');
      users.version = 'v2';
      now += 59_000;
      expect(await nameFrom(gw, '1')).toBe('v1 1');
      expect(users.calls).toHaveLength(1);
      now += 2000;
      expect(await nameFrom(gw, '1')).toBe('v2 1');
      expect(users.calls).toHaveLength(2);

      users.cacheControl = 'max-age=600, s-maxage=10';
      expect(await nameFrom(gw, '2')).toBe('v2 2');
      now += 11_000;
      users.version = 'v3';
      expect(await nameFrom(gw, '2')).toBe('v3 2');
      expect(users.calls).toHaveLength(4);
    });

    it('no-store, no-cache, no header at all, or a 404: nothing is kept', async () => {
      const gw = await gateway({ USERS_BATCH: 'false' });
      for (const header of ['no-store', 'max-age=60, no-store', 'no-cache, max-age=60', undefined]) {
        users.cacheControl = header;
        users.calls.length = 0;
        await nameFrom(gw, '1');
        await nameFrom(gw, '1');
        expect(users.calls, String(header)).toHaveLength(2);
      }
      users.cacheControl = 'max-age=60';
      users.calls.length = 0;
      expect(await nameFrom(gw, 'ghost')).toBeUndefined();
      expect(await nameFrom(gw, 'ghost')).toBeUndefined();
      expect(users.calls).toHaveLength(2);
    });

    it('a failed answer is not kept', async () => {
      const gw = await gateway({ USERS_RETRIES: '0', USERS_BREAKER: 'false' });
      users.mode = 'fail';
      await gw.query(USER, { id: '1' });
      users.mode = 'ok';
      expect(await nameFrom(gw, '1')).toBe('v1 1');
      expect(users.calls).toHaveLength(2);
    });

    it('<SERVICE>_CACHE=false: every ask is a call', async () => {
      const gw = await gateway({ USERS_CACHE: 'false' });
      await nameFrom(gw, '1');
      await nameFrom(gw, '1');
      expect(users.calls).toHaveLength(2);
    });
  });

  describe('per key', () => {
    it("a batch answer's header covers every row, and the keys it left out are kept as not found", async () => {
      const gw = await gateway();
      const { body } = await gw.query(USERS, { ids: ['1', '2', 'ghost'] });
      expect(body.data.users).toEqual([{ id: '1', name: 'v1 1' }, { id: '2', name: 'v1 2' }, null]);
      expect(await nameFrom(gw, 'ghost')).toBeUndefined();
      expect(await nameFrom(gw, '2')).toBe('v1 2');
      expect(users.calls).toHaveLength(1);
    });

    it('a request whose keys are partly kept asks the upstream for the others only, in one call', async () => {
      const gw = await gateway();
      await gw.query(USERS, { ids: ['1', '2'] });
      const { body } = await gw.query(USERS, { ids: ['1', '2', '3', '4'] }, TRACE);
      expect(body.data.users.map((user: { name: string }) => user.name)).toEqual(['v1 1', 'v1 2', 'v1 3', 'v1 4']);
      expect(users.calls.map((call) => call.path)).toEqual(['/users?ids=1%2C2', '/users?ids=3%2C4']);
      expect(body.extensions.upstreams).toEqual([
        expect.objectContaining({ service: 'users', cache: 'hit', keys: 2, attempts: 0, batch: true }),
        expect.objectContaining({ service: 'users', keys: 2, attempts: 1, status: 200 }),
      ]);
      expect(body.extensions.upstreams[1].cache).toBeUndefined();

      // All kept: no call at all.
      await gw.query(USERS, { ids: ['4', '3', '2', '1'] });
      expect(users.calls).toHaveLength(2);
    });

    it('with batching off, one call per missing key', async () => {
      const gw = await gateway({ USERS_BATCH: 'false' });
      await gw.query(USERS, { ids: ['1', '2'] });
      await gw.query(USERS, { ids: ['1', '2', '3', '4'] });
      expect(users.calls.map((call) => call.path).sort()).toEqual(['/users/1', '/users/2', '/users/3', '/users/4']);
    });
  });

  describe('credentials', () => {
    const env = { USERS_FORWARD_HEADERS: 'authorization' };
    const ada = { authorization: 'Bearer ada' };
    const bob = { authorization: 'Bearer bob' };

    it('a private row is served only to requests forwarding the same credentials; with none, it is not kept', async () => {
      const gw = await gateway(env);
      users.cacheControl = 'private, max-age=60';
      expect(await nameFrom(gw, '1', ada)).toBe(nameOf('v1', '1', 'Bearer ada'));
      expect(await nameFrom(gw, '1', bob)).toBe(nameOf('v1', '1', 'Bearer bob'));
      expect(await nameFrom(gw, '1')).toBe(nameOf('v1', '1', undefined));
      expect(users.calls).toHaveLength(3);

      users.version = 'v2';
      expect(await nameFrom(gw, '1', ada)).toBe(nameOf('v1', '1', 'Bearer ada'));
      expect(await nameFrom(gw, '1', bob)).toBe(nameOf('v1', '1', 'Bearer bob'));
      expect(await nameFrom(gw, '1')).toBe(nameOf('v2', '1', undefined));
      expect(await nameFrom(gw, '1', { authorization: 'Bearer adA' })).toBe(nameOf('v2', '1', 'Bearer adA'));
      expect(users.calls).toHaveLength(5);
    });

    it('a public row is shared whatever the credentials', async () => {
      const gw = await gateway(env);
      users.cacheControl = 'max-age=60';
      const first = await nameFrom(gw, '1', ada);
      expect(await nameFrom(gw, '1', bob)).toBe(first);
      expect(await nameFrom(gw, '1')).toBe(first);
      expect(users.calls).toHaveLength(1);
    });

    it('concurrent requests with different credentials share no call, and each gets its own row', async () => {
      const gw = await gateway(env);
      users.cacheControl = 'private, max-age=60';
      users.holding = true;
      const asks = [ada, bob, ada, bob].map((headers) => nameFrom(gw, '1', headers));
      await waitFor(() => users.waiting === 2);
      users.release();
      expect(await Promise.all(asks)).toEqual(['ada', 'bob', 'ada', 'bob'].map((who) => nameOf('v1', '1', `Bearer ${who}`)));
      expect(users.calls).toHaveLength(2);
    });
  });

  describe('stale-while-revalidate', () => {
    it('serves the stale row at once and refreshes it in the background, one call per key however many ask', async () => {
      const gw = await gateway();
      users.cacheControl = 'max-age=1, stale-while-revalidate=30';
      await gw.query(USERS, { ids: ['1', '2'] });
      now += 2000;
      users.version = 'v2';
      users.holding = true;
      // Answered while the refresh is held by the upstream: nobody waits for it.
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => gw.query(USERS, { ids: ['1', '2'] }, TRACE)));
      for (const { body } of answers) {
        expect(body.data.users.map((user: { name: string }) => user.name)).toEqual(['v1 1', 'v1 2']);
        expect(body.extensions.upstreams).toEqual([expect.objectContaining({ cache: 'revalidating', keys: 2, attempts: 0 })]);
      }
      expect(users.waiting).toBe(1);
      users.release();
      await waitFor(async () => (await gw.query(USERS, { ids: ['1', '2'] })).body.data.users[0].name === 'v2 1');
      expect(users.calls).toHaveLength(2);
    });

    it('a public row is refreshed once, whatever the credentials of the requests that find it stale', async () => {
      const gw = await gateway({ USERS_FORWARD_HEADERS: 'authorization' });
      users.cacheControl = 'max-age=1, stale-while-revalidate=30';
      await nameFrom(gw, '1', { authorization: 'Bearer 0' });
      now += 2000;
      users.holding = true;
      const names = await Promise.all([1, 2, 3, 4, 5].map((n) => nameFrom(gw, '1', { authorization: `Bearer ${n}` })));
      expect(names).toEqual(Array(5).fill(nameOf('v1', '1', 'Bearer 0')));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(users.waiting).toBe(1);
      users.release();
    });

    it.runIf(store === 'memory')("a refresh waits in the service's queue as its client's, not ahead of every client", async () => {
      const gw = await gateway({ USERS_MAX_CONCURRENCY: '1', USERS_FORWARD_HEADERS: 'authorization', USERS_TIMEOUT_MS: '10000' });
      const attacker = { authorization: 'Bearer attacker' };
      users.cacheControl = 'max-age=1, stale-while-revalidate=600';
      await nameFrom(gw, '1', attacker);
      now += 2000;
      users.holding = true;
      const busy = nameFrom(gw, '100', attacker);
      await waitFor(() => users.waiting === 1);
      const victim = nameFrom(gw, '200', { authorization: 'Bearer victim' });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the victim's call is queued behind the busy slot
      expect(await nameFrom(gw, '1', attacker)).toBe(nameOf('v1', '1', 'Bearer attacker'));
      users.release();
      await Promise.all([busy, victim]);
      await waitFor(() => users.calls.length === 4);
      const asked = users.calls.map(({ path }) => new URL(path, 'http://users').searchParams.get('ids') ?? path);
      expect(asked).toEqual(['1', '100', '200', '1']);
    });

    it('past the window, the request waits for a fresh answer', async () => {
      const gw = await gateway();
      users.cacheControl = 'max-age=1, stale-while-revalidate=5';
      await nameFrom(gw, '1');
      now += 7000;
      users.version = 'v2';
      expect(await nameFrom(gw, '1')).toBe('v2 1');
    });
  });

  describe('stale-if-error', () => {
    const cachedThenFailing = async (env: Record<string, string>, mode: UsersUpstream['mode']) => {
      const gw = await gateway({ USERS_RETRIES: '0', USERS_TIMEOUT_MS: '300', ...env });
      users.cacheControl = 'max-age=1, stale-if-error=600';
      await gw.query(USERS, { ids: ['1', '2'] });
      now += 42_000;
      users.mode = mode;
      return gw;
    };

    it.each([
      ['fail', 'HTTP_ERROR'],
      ['hang', 'TIMEOUT'],
      ['reset', 'UNREACHABLE'],
      ['garbage', 'BAD_RESPONSE'],
    ] as const)('upstream %s: the stale rows are served and listed in extensions.stale with %s, not in extensions.errors', async (mode, code) => {
      const gw = await cachedThenFailing({}, mode);
      const { body } = await gw.query(USERS, { ids: ['1', '2'] }, TRACE);
      expect(body.data.users).toEqual([{ id: '1', name: 'v1 1' }, { id: '2', name: 'v1 2' }]);
      expect(body.extensions.stale).toEqual([{ service: 'users', code, paths: [['users', 0], ['users', 1]], ageSeconds: 42 }]);
      expect(body.extensions.errors).toBeUndefined();
      expect(body.extensions.upstreams).toEqual([
        expect.objectContaining({ service: 'users', code, keys: 2 }),
        expect.objectContaining({ service: 'users', cache: 'stale', keys: 2, attempts: 0 }),
      ]);
    });

    it('an open circuit is a failure like any other: CIRCUIT_OPEN, stale served', async () => {
      const gw = await cachedThenFailing({ USERS_BREAKER_FAILURES: '1' }, 'fail');
      await gw.query(USER, { id: '1' }); // opens the breaker
      const calls = users.calls.length;
      const { body } = await gw.query(USER, { id: '2' });
      expect(users.calls).toHaveLength(calls);
      expect(body.data.user.name).toBe('v1 2');
      expect(body.extensions.stale).toEqual([{ service: 'users', code: 'CIRCUIT_OPEN', paths: [['user']], ageSeconds: 42 }]);
      expect(body.extensions.errors).toBeUndefined();
    });

    it('a key with no stale row fails as usual, beside the keys served stale', async () => {
      const gw = await cachedThenFailing({}, 'fail');
      const { body } = await gw.query(USERS, { ids: ['1', '3'] });
      expect(body.data.users).toEqual([{ id: '1', name: 'v1 1' }, null]);
      expect(body.extensions.stale).toEqual([expect.objectContaining({ paths: [['users', 0]], code: 'HTTP_ERROR' })]);
      expect(body.extensions.errors).toEqual([expect.objectContaining({ service: 'users', paths: [['users', 1]], code: 'HTTP_ERROR' })]);
    });

    it('past N seconds of staleness the failure is reported, and nothing is served', async () => {
      const gw = await cachedThenFailing({}, 'fail');
      now += 600_000;
      const { body } = await gw.query(USER, { id: '1' });
      expect(body.data.user).toBeNull();
      expect(body.extensions.stale).toBeUndefined();
      expect(body.extensions.errors).toEqual([expect.objectContaining({ paths: [['user']] })]);
    });

    it('without stale-if-error, a failure is a failure', async () => {
      const gw = await gateway({ USERS_RETRIES: '0' });
      users.cacheControl = 'max-age=1';
      await nameFrom(gw, '1');
      now += 2000;
      users.mode = 'fail';
      const { body } = await gw.query(USER, { id: '1' });
      expect(body.data.user).toBeNull();
      expect(body.extensions.stale).toBeUndefined();
    });

    it('a stale answer inside a @defer part is reported in that part', async () => {
      const gw = await cachedThenFailing({}, 'fail');
      const response = await fetch(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
        body: JSON.stringify({ query: '{ first: user(id: "2") { id } ... @defer { later: user(id: "1") { name } } }' }),
      });
      const parts = (await response.text()).split('\r\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(parts[0].data.first).toEqual({ id: '2' });
      expect(parts[0].extensions.stale).toEqual([expect.objectContaining({ paths: [['first']] })]);
      const deferred = parts.find((part) => part.incremental);
      expect(deferred.incremental[0].data.later.name).toBe('v1 1');
      expect(deferred.extensions.stale).toEqual([expect.objectContaining({ paths: [['later']] })]);
    });
  });

  describe('writes', () => {
    it("ctx.forget removes the keys' rows, of every audience, before it resolves", async () => {
      const gw = await gateway({ USERS_FORWARD_HEADERS: 'authorization' });
      users.cacheControl = 'private, max-age=60';
      await nameFrom(gw, '1', { authorization: 'Bearer ada' });
      users.cacheControl = 'max-age=60';
      await nameFrom(gw, '1');
      await nameFrom(gw, '2');
      users.version = 'v2';

      await contextOf(gw).forget('userById', ['1']);
      expect(await nameFrom(gw, '1', { authorization: 'Bearer ada' })).toBe(nameOf('v2', '1', 'Bearer ada'));
      expect(await nameFrom(gw, '1')).toBe('v2 1');
      expect(await nameFrom(gw, '2')).toBe('v1 2');
    });

    it.runIf(store === 'redis')('a write through one gateway removes the rows another gateway sharing the store would serve', async () => {
      const [one, other] = [await gateway(), await gateway()];
      await nameFrom(one, '1');
      expect(await nameFrom(other, '1')).toBe('v1 1');
      expect(users.calls).toHaveLength(1);
      users.version = 'v2';
      await contextOf(other).forget('userById', ['1']);
      expect(await nameFrom(one, '1')).toBe('v2 1');
    });

    it('a call that started before the write does not store what it read', async () => {
      const gw = await gateway();
      users.holding = true;
      const before = nameFrom(gw, '1');
      await waitFor(() => users.waiting === 1);
      await contextOf(gw).forget('userById', ['1']);
      users.release();
      await before;
      users.version = 'v2';
      expect(await nameFrom(gw, '1')).toBe('v2 1');
    });

    /**
     * Through two gateways sharing Redis: a read of user 1 is in flight in `other` (its upstream answers the state
     * before the write) while a write through `one` forgets user 1; with `join`, a second read in `other`, arriving
     * after the write, joins that call. Then the data changes; answers what `one` reads next.
     */
    async function readAcrossAWrite(join: boolean): Promise<string | undefined> {
      const [one, other] = [await gateway(), await gateway()];
      users.holding = true;
      const reads = [nameFrom(other, '1')];
      await waitFor(() => users.waiting === 1);
      await contextOf(one).forget('userById', ['1']);
      if (join) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        now += 10;
        // That gateway does not know of the write: its in-flight sharing joins this read to the call that began before it.
        reads.push(nameFrom(other, '1'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(users.waiting).toBe(1);
      }
      users.release();
      expect(await Promise.all(reads)).toEqual(reads.map(() => 'v1 1'));
      await new Promise((resolve) => setTimeout(resolve, 300)); // the other gateway stores without waiting
      users.version = 'v2';
      return nameFrom(one, '1');
    }

    it.runIf(store === 'redis')('a call in flight in another gateway when the write lands does not store what it read', async () => {
      expect(await readAcrossAWrite(false)).toBe('v2 1');
    });

    it.runIf(store === 'redis')('nor does a read in that gateway that joins its call after the write', async () => {
      expect(await readAcrossAWrite(true)).toBe('v2 1');
    });

    /**
     * A read through `reader` starts; the write goes through `writer`; a second read through `reader` starts. The
     * second must make a call of its own: the first is answered as the data stood before, the second as after.
     */
    async function readBeforeAndAfterAWrite(writer: TestGateway, reader: TestGateway): Promise<void> {
      users.holding = true;
      const before = nameFrom(reader, '1');
      await waitFor(() => users.waiting === 1);
      await contextOf(writer).forget('userById', ['1']);
      const after = nameFrom(reader, '1');
      await waitFor(() => users.waiting === 2);
      users.releaseOne();
      expect(await before).toBe('v1 1');
      users.version = 'v2';
      users.release();
      expect(await after).toBe('v2 1');
    }

    it.runIf(store === 'memory')('in another worker, a read after the write does not join a call that started before it', async () => {
      // Two gateways as two cluster workers: memory stores, a write's invalidation relayed between them.
      const subscribers: Array<(keys: readonly string[]) => Promise<void>> = [];
      const bus = (): ForgetBus => {
        let own: ((keys: readonly string[]) => Promise<void>) | undefined;
        return {
          publish: async (keys) => void (await Promise.all(subscribers.filter((forget) => forget !== own).map((forget) => forget(keys)))),
          subscribe: (forget) => void subscribers.push((own = forget)),
        };
      };
      const [one, other] = [await gateway({}, { forgetBus: bus() }), await gateway({}, { forgetBus: bus() })];
      await readBeforeAndAfterAWrite(one, other);
    });

    it('a read that starts after the write does not join a call that started before it, nor store what that call read', async () => {
      const gw = await gateway();
      await readBeforeAndAfterAWrite(gw, gw);
      expect(await nameFrom(gw, '1')).toBe('v2 1');
    });
  });
});
