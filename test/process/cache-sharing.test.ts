import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { nameOf, startUsersUpstream, type UsersUpstream } from '../helpers/users-upstream.js';

/**
 * Two gateway processes sharing one Redis, as two replicas would: public and
 * private rows are shared between them, and a private row only ever reaches a
 * request forwarding the credentials it was fetched with, whichever process
 * stored it and whichever serves it. What Redis holds never contains the
 * credentials themselves.
 */
const SECRET = 'a-scope-secret-shared-by-the-replicas';
const ADA = 'Bearer tok-ada-7f3a';
const BOB = 'Bearer tok-bob-91c2';

let redis: TestRedis;
let users: UsersUpstream;
const processes: GatewayProcess[] = [];
const ports: number[] = [];

async function startReplica(secret: string): Promise<number> {
  const gateway = spawnGateway({
    PORT: '0',
    CACHE_STORE: redis.url,
    CACHE_SCOPE_SECRET: secret,
    CACHE_STORE_TIMEOUT_MS: '1000',
    USERS_SERVICE_URL: users.url.href,
    USERS_FORWARD_HEADERS: 'authorization',
  });
  processes.push(gateway);
  const listening = await gateway.waitForLog(isListening, 60_000);
  return listening['port'] as number;
}

async function nameVia(port: number, authorization?: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: '{ user(id: "1") { name } }' }),
  });
  const body = (await response.json()) as { data: { user: { name: string } } };
  return body.data.user.name;
}

beforeAll(async () => {
  redis = await startRedis();
  users = await startUsersUpstream();
  users.cacheControl = 'private, max-age=60';
  ports.push(...(await Promise.all([startReplica(SECRET), startReplica(SECRET), startReplica(`another-${SECRET}`)])));
}, 90_000);

afterAll(async () => {
  for (const gateway of processes) gateway.kill();
  await users?.close();
  await redis?.close();
});

describe('two gateway processes sharing Redis', () => {
  it('share private rows only between requests forwarding the same credentials', async () => {
    const [first, second, otherSecret] = ports as [number, number, number];
    expect(await nameVia(first, ADA)).toBe(nameOf('v1', '1', ADA));
    users.version = 'v2';
    // Stored by the first process, served by the second: shared, and still Ada's.
    expect(await nameVia(second, ADA)).toBe(nameOf('v1', '1', ADA));
    expect(users.calls).toHaveLength(1);

    // Bob, through either process, never gets Ada's row; his own is then shared the same way.
    expect(await nameVia(second, BOB)).toBe(nameOf('v2', '1', BOB));
    expect(await nameVia(first, BOB)).toBe(nameOf('v2', '1', BOB));
    expect(users.calls).toHaveLength(2);

    // No credentials: nothing private is served, and nothing is kept.
    expect(await nameVia(first)).toBe(nameOf('v2', '1', undefined));
    expect(await nameVia(second)).toBe(nameOf('v2', '1', undefined));
    expect(users.calls).toHaveLength(4);

    // A replica keyed with another secret finds none of them: the scope is a keyed hash, not the credentials.
    expect(await nameVia(otherSecret, ADA)).toBe(nameOf('v2', '1', ADA));
    expect(users.calls).toHaveLength(5);
    expect(users.calls.map((call) => call.authorization)).toEqual([ADA, BOB, undefined, undefined, ADA]);
  });

  it('keeps no credential in Redis, in keys, fields or values', async () => {
    const keys = await redis.client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    const dump = [...keys];
    for (const key of keys) dump.push(...Object.entries(await redis.client.hgetall(key)).flat());
    const text = dump.join('\n');
    expect(text).toContain('gateway:v1:userById:1');
    for (const secret of ['tok-ada-7f3a', 'tok-bob-91c2', 'Bearer', SECRET]) expect(text).not.toContain(secret);
  });
});
