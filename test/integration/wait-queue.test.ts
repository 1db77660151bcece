import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, withUpstreamUrls } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import type { UpstreamFailure } from '../../src/errors/upstream-failure.js';
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

describe("a failure caused by the gateway's own saturation is not the upstream's", () => {
  /** An upstream that answers after `latencyMs`, or with 503 once `failing` is set. */
  async function slowUpstream(latencyMs: number) {
    const state = { failing: false };
    upstream = await startUpstream((_request, response) => {
      if (state.failing) return sendJson(response, 503, { error: 'down' });
      setTimeout(() => sendJson(response, 200, { id: '1' }), latencyMs);
    });
    return state;
  }
  const breakerEnv = { USERS_BREAKER_FAILURES: '1', USERS_TIMEOUT_MS: '1000', USERS_MAX_CONCURRENCY: '1' };
  const call = () => ({ deadline: Date.now() + 10_000, headers: {} });
  const outcome = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: UpstreamFailure) => error.code);

  it('a call that waited for a slot and then timed out leaves the breaker closed', async () => {
    await slowUpstream(600);
    const client = usersClient(breakerEnv);
    // One slot: the first call answers at 600 ms; the second starts then with 400 ms of its 1000 left and times out;
    // the third never gets the slot before its deadline.
    const outcomes = await Promise.all([1, 2, 3].map(() => outcome(client.get(ROUTE, call(), row))));
    expect(outcomes).toEqual(['answered', 'TIMEOUT', 'TIMEOUT']);
    expect(upstream!.hits).toHaveLength(2);
    expect(client.breakerState).toBe('closed');
  });

  it('a call that had its whole time and timed out still opens it', async () => {
    await slowUpstream(1500);
    const client = usersClient(breakerEnv);
    expect(await outcome(client.get(ROUTE, call(), row))).toBe('TIMEOUT');
    expect(client.breakerState).toBe('open');
  });

  it('a timeout caused by an event-loop stall leaves the breaker closed', async () => {
    await slowUpstream(200);
    const client = usersClient({ ...breakerEnv, USERS_TIMEOUT_MS: '500' });
    const pending = outcome(client.get(ROUTE, call(), row));
    // The attempt has started; its request goes out only after this stall, too late for a 200 ms answer to fit.
    setImmediate(() => {
      const stalledUntil = Date.now() + 400;
      while (Date.now() < stalledUntil);
    });
    expect(await pending).toBe('TIMEOUT');
    expect(upstream!.hits).toHaveLength(1);
    expect(client.breakerState).toBe('closed');
  });

  it('calls refused for want of a slot earn the upstream no retries', async () => {
    const state = await slowUpstream(300);
    // Every call that reaches the upstream earns half a retry; there is no per-second allowance.
    const client = usersClient({ USERS_MAX_CONCURRENCY: '1', USERS_MAX_QUEUE: '0', USERS_RETRIES: '2', USERS_RETRY_BUDGET_PERCENT: '50', USERS_RETRY_BUDGET_MIN_PER_SEC: '0' });
    const holder = client.get(ROUTE, call(), row);
    await until(() => upstream!.hits.length === 1);
    const refused = await Promise.all(Array.from({ length: 10 }, () => outcome(client.get(ROUTE, call(), row))));
    expect(refused.every((code) => code === 'TIMEOUT')).toBe(true); // "saturated", never sent
    await holder;
    state.failing = true;
    upstream!.hits.length = 0;
    expect(await outcome(client.get(ROUTE, call(), row))).toBe('HTTP_ERROR');
    // The holder's and this call's earnings buy one retry; the 10 refused calls would have bought the second.
    expect(upstream!.hits).toHaveLength(2);
  });
});
