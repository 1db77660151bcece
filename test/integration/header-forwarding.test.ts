import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * Header propagation: only the client headers a service's allowlist names
 * reach that service; hop-by-hop, framing, Host and Cookie never do; the
 * request id and the trace context always do.
 */

const BOTH = '{ user(id: "1") { name orders { id } } }';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway({
    env: { USERS_FORWARD_HEADERS: 'authorization, accept-language, x-tenant', ORDERS_FORWARD_HEADERS: 'accept-language' },
    // Slow enough that two concurrent requests are in flight together.
    demo: { knobs: { users: { latencyMs: 300 } } },
  });
});
afterAll(() => gateway.close());
beforeEach(() => gateway.demo.resetStats());

function post(headers: Record<string, string>, query = BOTH) {
  const body = JSON.stringify({ query });
  return rawRequest(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    body,
  });
}

describe('per-service allowlists', () => {
  it('forward each listed header to its service only', async () => {
    const answer = await post({ authorization: 'Bearer alice', 'accept-language': 'fr', 'x-tenant': 't1', 'x-unlisted': 'nope' });
    expect(answer.status).toBe(200);
    const [usersCall] = gateway.demo.stats.users.calls;
    const [ordersCall] = gateway.demo.stats.orders.calls;
    expect(usersCall?.headers).toMatchObject({ authorization: 'Bearer alice', 'accept-language': 'fr', 'x-tenant': 't1' });
    expect(ordersCall?.headers['accept-language']).toBe('fr');
    // The users service's credentials never reach the orders service.
    expect(ordersCall?.headers.authorization).toBeUndefined();
    expect(ordersCall?.headers['x-tenant']).toBeUndefined();
    for (const call of [usersCall, ordersCall]) expect(call?.headers['x-unlisted']).toBeUndefined();
  });

  it('smuggled headers never pass: hop-by-hop, Connection-named, Host, Cookie, framing, proxy credentials', async () => {
    const answer = await post({
      authorization: 'Bearer alice',
      // Naming a header in Connection makes it hop-by-hop, even one on the allowlist.
      connection: 'keep-alive, x-tenant',
      'x-tenant': 't1',
      'keep-alive': 'timeout=600',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic c2VjcmV0',
      cookie: 'session=alice-session',
      host: 'internal.admin.example',
      'x-forwarded-for': '10.0.0.1',
      forwarded: 'for=10.0.0.1',
      'x-http-method-override': 'DELETE',
    });
    expect(answer.status).toBe(200);
    const calls = [...gateway.demo.stats.users.calls, ...gateway.demo.stats.orders.calls];
    expect(calls).toHaveLength(2);
    for (const { headers } of calls) {
      for (const name of ['x-tenant', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'cookie', 'x-forwarded-for', 'forwarded', 'x-http-method-override', 'transfer-encoding', 'content-length']) {
        expect(headers[name], name).toBeUndefined();
      }
      expect(headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(headers.connection).not.toMatch(/x-tenant/);
    }
    expect(gateway.demo.stats.users.calls[0]?.headers.authorization).toBe('Bearer alice');
  });

  it('always send the request id and a trace context, the client’s when it is well-formed', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const answer = await post({ 'x-request-id': 'req-42', traceparent, tracestate: 'vendor=abc' });
    const calls = [...gateway.demo.stats.users.calls, ...gateway.demo.stats.orders.calls];
    expect(answer.headers['x-request-id']).toBe('req-42');
    for (const { headers } of calls) expect(headers).toMatchObject({ 'x-request-id': 'req-42', traceparent, tracestate: 'vendor=abc' });

    gateway.demo.resetStats();
    const forged = await post({ 'x-request-id': 'bad id\twith tab', traceparent: '00-not-a-trace-01', tracestate: 'vendor=abc' });
    const id = forged.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const { headers } of [...gateway.demo.stats.users.calls, ...gateway.demo.stats.orders.calls]) {
      expect(headers['x-request-id']).toBe(id);
      expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(headers.tracestate).toBeUndefined();
    }
  });
});

/** Raw bytes on a fresh TCP connection; resolves with whatever the server wrote before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname, () => socket.end(bytes));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

describe('request smuggling', () => {
  const body = '{"query":"{ user(id: \\"1\\") { name } }"}';
  it.each([
    ['Content-Length and Transfer-Encoding together', `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`],
    ['two different Content-Lengths', `Content-Length: ${body.length}\r\nContent-Length: 4\r\n`],
    ['an obfuscated Transfer-Encoding', `Content-Length: ${body.length}\r\nTransfer-Encoding: xchunked\r\n`],
  ])('%s is refused, and no upstream call is made', async (_label, framing) => {
    const request = `POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n${framing}Connection: close\r\n\r\n${body}`;
    const answer = await rawExchange(gateway.url, request);
    expect(answer).toMatch(/^HTTP\/1\.1 (400|501) /);
    expect(gateway.demo.stats.users.calls).toHaveLength(0);
  });
});

describe('cross-user concurrency', () => {
  it('two clients asking for the same keys at the same time share no loader, batch or call', async () => {
    const query = '{ users(ids: ["1", "2", "3"]) { id name } }';
    const [alice, bob] = await Promise.all([post({ authorization: 'Bearer alice' }, query), post({ authorization: 'Bearer bob' }, query)]);
    for (const answer of [alice, bob]) {
      expect(answer.status).toBe(200);
      expect(answer.json.data.users.map((user: { id: string }) => user.id)).toEqual(['1', '2', '3']);
    }
    const calls = gateway.demo.stats.users.calls;
    // They really were in flight together: this is the case under test.
    expect(gateway.demo.stats.users.maxInFlight).toBe(2);
    // One batch each, each with its own credentials; no call carries both or neither.
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => call.headers.authorization).sort()).toEqual(['Bearer alice', 'Bearer bob']);
    expect(calls.map((call) => call.path)).toEqual([expect.stringMatching(/^\/users\?ids=/), expect.stringMatching(/^\/users\?ids=/)]);
    expect(new Set(calls.map((call) => call.headers['x-request-id'])).size).toBe(2);
  });
});
