import type http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { loadConfig, SERVICE_NAMES, withUpstreamUrls } from '../../src/config.js';
import type { Route } from '../../src/upstream/call.js';
import { createUpstreamHttp, type UpstreamHttp } from '../../src/upstream/http.js';
import { ServiceClient } from '../../src/upstream/service-client.js';
import { Slots, SlotTimeout } from '../../src/upstream/slots.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/** The wait queue of one upstream (its in-flight cap and `<SERVICE>_MAX_QUEUE`), with a real upstream on loopback. */
let upstream: TestUpstream | undefined;
let pool: UpstreamHttp | undefined;
afterEach(async () => {
  pool?.close();
  await upstream?.close();
});

const ROUTE: Route = { template: '/users/{key}', path: 'users/1', notFoundIsNull: true, keys: 1, batch: false };
const row = (body: unknown) => body;

/** An upstream that holds every answer until the test lets them go. */
async function heldUpstream() {
  const held: http.ServerResponse[] = [];
  upstream = await startUpstream((_request, response) => void held.push(response));
  return { release: () => held.splice(0).forEach((response) => sendJson(response, 200, { id: '1' })), held };
}

function usersClient(env: Record<string, string>): ServiceClient {
  const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, upstream!.url]));
  const config = withUpstreamUrls(loadConfig({ USERS_DEDUPE: 'false', USERS_RETRIES: '0', ...env }), urls);
  pool = createUpstreamHttp(config, config.services.users);
  return new ServiceClient(config.services.users, pool);
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

it('a waiter whose client left before it queued frees its place at once (Slots)', async () => {
  const slots = new Slots(1, 1);
  const held = await slots.acquire(Date.now() + 60_000);
  const gone = new AbortController();
  gone.abort();
  const started = Date.now();
  await expect(slots.acquire(Date.now() + 3000, gone.signal)).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(1000); // not at its deadline

  // Its place is free: the next waiter queues instead of being refused as "queue full".
  let granted = false;
  const next = slots.acquire(Date.now() + 60_000).then((release) => ((granted = true), release));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(granted).toBe(false);
  held();
  (await next)();
  expect(granted).toBe(true);
});

it('a call whose client already left does not make the next call fail as "saturated"', async () => {
  const answers = await heldUpstream();
  const client = usersClient({ USERS_MAX_CONCURRENCY: '1', USERS_MAX_QUEUE: '1', USERS_TIMEOUT_MS: '10000' });
  const call = (signal?: AbortSignal) => ({ deadline: Date.now() + 10_000, headers: {}, ...(signal ? { signal } : {}) });
  const outcome = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: Error) => error.message);

  const first = outcome(client.get(ROUTE, call(), row)); // holds the only slot
  await until(() => answers.held.length === 1);
  const gone = new AbortController();
  gone.abort();
  const cancelled = outcome(client.get(ROUTE, call(gone.signal), row));
  const third = outcome(client.get(ROUTE, call(), row));

  answers.release();
  expect(await first).toBe('answered');
  await until(() => answers.held.length === 1);
  answers.release();
  expect(await third).toBe('answered'); // not "users was not called: it is saturated"
  expect(await cancelled).not.toBe('answered');
  expect(upstream!.hits).toHaveLength(2); // the call whose client had left never went out
});
