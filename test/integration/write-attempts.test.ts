import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, withUpstreamUrls } from '../../src/config.js';
import { isUpstreamFailure, type UpstreamFailure } from '../../src/errors/upstream-failure.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import type { Route, WritePolicy } from '../../src/upstream/call.js';
import { createUpstreamHttp, type UpstreamHttp } from '../../src/upstream/http.js';
import { ServiceClient } from '../../src/upstream/service-client.js';
import { closedPortUrl, sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/**
 * When a write that is not safe to repeat may be sent again: only when no
 * byte of it can have reached the service. How Node and got tell, checked on
 * real sockets: a refused connection sent nothing; a pooled keep-alive socket
 * that the service closed just before the write goes out carries the write
 * onto the wire (Node cannot know the socket is dead until the reset), so the
 * write counts as sent, though the service never read it.
 */
let upstream: TestUpstream | undefined;
let pool: UpstreamHttp | undefined;
afterEach(async () => {
  pool?.close();
  await upstream?.close();
  pool = upstream = undefined;
});

const ROUTE: Route = { template: '/orders', method: 'POST', json: { quantity: 1 }, path: 'orders', notFoundIsNull: false, keys: 1, batch: false };
const parse = (body: unknown) => body;

function policy(repeatable: boolean): WritePolicy<unknown> {
  return { repeatable, headers: {}, refusal: () => undefined, unknownOutcome: 'the outcome is unknown' };
}

function ordersClient(url: URL): ServiceClient {
  const config = withUpstreamUrls(loadConfig({ ORDERS_RETRIES: '2' }), Object.fromEntries(SERVICE_NAMES.map((name) => [name, url])));
  pool = createUpstreamHttp(config, config.services.orders);
  return new ServiceClient(config.services.orders, pool);
}

const call = () => ({ deadline: Date.now() + 2000, headers: {} });

async function failureOf(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isUpstreamFailure(error)) throw new Error(`expected an upstream failure, got ${String(error)}`);
  return error;
}

describe('a write that is not safe to repeat', () => {
  it('is sent again after a refused connection: nothing was sent, and nothing is said to be unknown', async () => {
    const client = ordersClient(await closedPortUrl());
    const failure = await failureOf(client.write(ROUTE, call(), parse, policy(false)));
    expect(failure).toMatchObject({ code: 'UNREACHABLE', attempts: 3, message: 'orders could not be reached (connection refused)' });
  });

  it('is not sent again after a reset on a pooled socket the service had closed, and its outcome is unknown', async () => {
    const { client, served } = await keepAliveRace();
    const failure = await failureOf(client.write(ROUTE, call(), parse, policy(false)));
    expect(failure).toMatchObject({ code: 'UNREACHABLE', attempts: 1, message: 'orders could not be reached (connection reset); the outcome is unknown' });
    // The service never read it: it served only the write that pooled the socket.
    expect(served()).toBe(1);
  });
});

describe('a write that is safe to repeat (a key, or naturally idempotent)', () => {
  it('after the same reset, is sent again on a fresh socket, once, and succeeds', async () => {
    const { client, served } = await keepAliveRace();
    await expect(client.write(ROUTE, call(), parse, policy(true))).resolves.toMatchObject({ value: { ok: true }, attempts: 2 });
    expect(served()).toBe(2);
  });
});

/**
 * A client whose pool holds a socket the service has just closed: one write
 * pools the socket, the service closes it 30 ms after answering, and the event
 * loop is kept busy meanwhile, so the close is not seen before the next write
 * is written onto that socket (the keep-alive race, made certain).
 */
async function keepAliveRace(): Promise<{ client: ServiceClient; served: () => number }> {
  let served = 0;
  upstream = await startUpstream((request: http.IncomingMessage, response: http.ServerResponse) => {
    request.resume();
    request.on('end', () => {
      served++;
      sendJson(response, 200, { ok: true });
      setTimeout(() => request.socket.destroy(), 30);
    });
  });
  const client = ordersClient(upstream.url);
  await client.write(ROUTE, call(), parse, policy(true));
  const until = Date.now() + 150;
  while (Date.now() < until); // the service's close arrives while the loop is blocked
  return { client, served: () => served };
}
