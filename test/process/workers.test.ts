import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetrics, total } from '../helpers/prometheus.js';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';

let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill(); // workers exit on their own when the primary's IPC channel closes
  gateway = undefined;
});

/** One request on its own connection, so the cluster's round-robin can hand it to either worker. */
function request(port: number, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port, method, path, agent: false, headers: body ? { 'content-type': 'application/json' } : {} },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('WORKERS=2', () => {
  it('serves from two processes, starts the demo upstreams once, /metrics adds up across workers, a dead worker is replaced', async () => {
    // Every request makes its own calls (no sharing in flight, no breaker, no cache), so the counts must add up exactly.
    gateway = spawnGateway({
      PORT: '0',
      WORKERS: '2',
      DEMO_ORDERS_FAIL_STATUS: '500',
      USERS_DEDUPE: 'false',
      ORDERS_DEDUPE: 'false',
      ORDERS_BREAKER: 'false',
      USERS_CACHE: 'false',
    });
    const gw = gateway;
    const first = await gw.waitForLog(isListening, 60_000);
    await gw.waitForLog(isListening, 60_000, 2);
    const port = first['port'] as number;
    expect(new Set(gw.logs.filter(isListening).map((line) => line['port']))).toEqual(new Set([port]));
    expect(gw.logs.filter((line) => String(line['msg']).includes('built-in demo upstreams'))).toHaveLength(1);

    const REQUESTS = 24;
    const query = JSON.stringify({ query: '{ user(id: "1") { name orders { id } } }' });
    const answers = await Promise.all(Array.from({ length: REQUESTS }, () => request(port, 'POST', '/graphql', query)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ data: { user: { orders: null } }, extensions: { errors: [{ service: 'orders' }] } });
    }

    const requestLines = () => gw.logs.filter((line) => String(line['msg']).startsWith('graphql request'));
    await gw.waitForLog((line) => String(line['msg']).startsWith('graphql request'), 10_000, REQUESTS);
    const pids = new Set(requestLines().map((line) => line['pid']));
    expect(pids.size).toBe(2);
    expect(pids).not.toContain(gw.child.pid); // the primary serves nothing itself

    // Each scrape lands on whichever worker accepts it; every one reports the cluster's sum.
    for (let scrape = 0; scrape < 4; scrape++) {
      const answer = await request(port, 'GET', '/metrics');
      expect(answer.status).toBe(200);
      const metrics = parseMetrics(answer.text);
      expect(total(metrics, 'gateway_graphql_responses_total', { result: 'partial' })).toBe(REQUESTS);
      expect(total(metrics, 'gateway_upstream_calls_total', { service: 'users', code: 'ok' })).toBe(REQUESTS);
      expect(total(metrics, 'gateway_upstream_calls_total', { service: 'orders', code: 'HTTP_ERROR' })).toBe(REQUESTS);
      expect(total(metrics, 'graphql_yoga_http_duration_count')).toBe(REQUESTS);
    }

    // A worker that dies is replaced; the cluster keeps serving.
    process.kill([...pids][0] as number, 'SIGKILL');
    await gw.waitForLog(isListening, 60_000, 3);
    expect((await request(port, 'POST', '/graphql', query)).status).toBe(200);

    gw.child.kill('SIGTERM');
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.logs.filter((line) => line['msg'] === 'gateway stopped')).toHaveLength(2);
  }, 120_000);
});

/** Until the cluster's own gauge shows the slow orders call in flight. */
async function untilOrdersInFlight(port: number): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    const metrics = parseMetrics((await request(port, 'GET', '/metrics')).text);
    if (total(metrics, 'gateway_upstream_in_flight', { service: 'orders' }) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no orders call in flight');
}

describe('WORKERS=2 and a Ctrl-C, which reaches every process of the group', () => {
  const slowQuery = JSON.stringify({ query: '{ dashboard(userId: "1") { orders { id } } }' });
  const start = async () => {
    gateway = spawnGateway({ PORT: '0', WORKERS: '2', DEMO_ORDERS_LATENCY_MS: '3000', ORDERS_TIMEOUT_MS: '20000', SHUTDOWN_DRAIN_MS: '20000' }, { ownGroup: true });
    const port = (await gateway.waitForLog(isListening, 60_000))['port'] as number;
    await gateway.waitForLog(isListening, 60_000, 2);
    return { gw: gateway, port };
  };

  it('one Ctrl-C drains: the request in flight is answered, exit 0', async () => {
    const { gw, port } = await start();
    const inFlight = request(port, 'POST', '/graphql', slowQuery);
    await untilOrdersInFlight(port);
    process.kill(-gw.child.pid!, 'SIGINT');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.dashboard.orders).toEqual(expect.any(Array));
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.logs.some((line) => String(line['msg']).startsWith('second signal'))).toBe(false);
  }, 120_000);

  it('a second Ctrl-C stops everything at once, exit 1', async () => {
    const { gw, port } = await start();
    const inFlight = request(port, 'POST', '/graphql', slowQuery).catch(() => 'cut');
    await untilOrdersInFlight(port);
    process.kill(-gw.child.pid!, 'SIGINT');
    await gw.waitForLog((line) => line['msg'] === 'primary: stopping workers');
    const signalled = Date.now();
    process.kill(-gw.child.pid!, 'SIGINT');
    expect(await gw.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalled).toBeLessThan(2_500); // not the 3 s request, nor the 20 s drain
    expect(await inFlight).toBe('cut');
  }, 120_000);
});

