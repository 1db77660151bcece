import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { BreakerStates } from '../../src/observability/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const get = async (gw: TestGateway, path: string) => {
  const response = await fetch(gw.url.replace('/graphql', path));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

describe('health and readiness', () => {
  it('/health is alive, /readiness is ready, with every breaker closed', async () => {
    gateway = await startGateway();
    expect((await get(gateway, '/health')).status).toBe(200);
    expect(await get(gateway, '/readiness')).toEqual({ status: 200, body: { status: 'ready', openCircuits: [] } });
  });

  it('reports degraded (still 200) with the open circuits', async () => {
    let states: ReturnType<BreakerStates> = { orders: 'open', users: 'half-open' };
    gateway = await startGateway({ breakerStates: () => states });
    expect(await get(gateway, '/readiness')).toEqual({ status: 200, body: { status: 'degraded', openCircuits: ['orders'] } });
    states = {};
    expect((await get(gateway, '/readiness')).body.status).toBe('ready');
  });

  it('once draining: /readiness answers 503, /health stays 200, requests still served but asked to close the connection', async () => {
    gateway = await startGateway();
    const gw = gateway;
    expect(await connectionHeader(gw)).not.toBe('close');

    gw.gateway.beginDrain();

    expect(await get(gw, '/readiness')).toEqual({ status: 503, body: { status: 'draining' } });
    expect((await get(gw, '/health')).status).toBe(200);
    const answer = await gw.query('{ user(id: "1") { name } }');
    expect(answer.body.data.user.name).toEqual(expect.any(String));
    expect(await connectionHeader(gw)).toBe('close');
  });

  it.each(['multipart/mixed', 'text/event-stream'])('once draining, a streamed (@defer) answer as %s asks to close the connection too, and it is closed', async (accept) => {
    gateway = await startGateway();
    const deferred = '{ dashboard(userId: "1") { user { name } ... @defer { orders { id } } } }';
    expect(await connectionHeader(gateway, { accept, query: deferred })).toBe('keep-alive');

    gateway.gateway.beginDrain();

    let closedBy: string | undefined;
    expect(await connectionHeader(gateway, { accept, query: deferred, onSocketClose: (by) => (closedBy = by) })).toBe('close');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closedBy).toBe('the server');
  });
});

interface Exchange {
  readonly accept?: string;
  readonly query?: string;
  /** Told who closed the socket: the server (after the answer), or this client once it had read it. */
  readonly onSocketClose?: (by: 'the server' | 'the client') => void;
}

/** The Connection header of a keep-alive request's response (fetch hides it). */
function connectionHeader(gw: TestGateway, { accept = 'application/json', query = '{ user(id: "2") { name } }', onSocketClose }: Exchange = {}): Promise<string | undefined> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const request = http.request(gw.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept } }, (response) => {
      let clientClosing = false;
      response.socket.once('close', () => onSocketClose?.(clientClosing ? 'the client' : 'the server'));
      response.resume();
      response.on('end', () => {
        // Give the server a moment to close first, as it must when it said `Connection: close`.
        setTimeout(() => {
          clientClosing = true;
          agent.destroy();
          resolve(response.headers.connection);
        }, onSocketClose ? 100 : 0);
      });
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query }));
  });
}
