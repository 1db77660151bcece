import { afterEach, describe, expect, it } from 'vitest';
import { startDemoUpstreams, type DemoUpstreams } from '../../src/demo/server.js';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';
import { scrape, total } from '../helpers/prometheus.js';

/**
 * The real process entry (`node --import tsx src/main.ts`) and a real SIGTERM.
 * Times are generous: two cores, shared with other test runs.
 */
let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

const SECRETS = ['Bearer sk-live-PROCESS-SECRET', 'session=PROCESS-COOKIE'];

async function post(port: number, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

/** Waits until the gateway's own gauge shows a call to `service` in flight. */
async function untilInFlight(port: number, service: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (total(await scrape(`http://127.0.0.1:${port}/`), 'gateway_upstream_in_flight', { service }) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${service} call in flight`);
}

async function readiness(port: number): Promise<number | 'refused'> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readiness`)).status;
  } catch {
    return 'refused';
  }
}

describe('graceful shutdown of the real process', () => {
  it('on SIGTERM: readiness flips to 503, the in-flight request finishes, the port closes, exit 0; logs hold no token', async () => {
    gateway = spawnGateway({
      PORT: '0',
      LOG_LEVEL: 'debug',
      DEMO_ORDERS_LATENCY_MS: '4000',
      ORDERS_TIMEOUT_MS: '20000',
      SHUTDOWN_DELAY_MS: '3000',
      SHUTDOWN_DRAIN_MS: '15000',
    });
    const port = (await gateway.waitForLog(isListening))['port'] as number;
    expect(await readiness(port)).toBe(200);

    const slow = post(port, '{ dashboard(userId: "1") { orders { id } } }', { authorization: SECRETS[0]!, cookie: SECRETS[1]! });
    await untilInFlight(port, 'orders');
    gateway.child.kill('SIGTERM');
    await gateway.waitForLog((line) => String(line['msg']).startsWith('draining'));

    // During the delay the gateway still answers, but says it is not ready.
    expect(await readiness(port)).toBe(503);

    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body.data.dashboard.orders).toEqual(expect.any(Array));

    const exit = await gateway.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await readiness(port)).toBe('refused');
    expect(gateway.logs.find((line) => line['msg'] === 'gateway stopped')).toMatchObject({ outcome: 'drained' });

    const output = gateway.output.join('\n');
    expect(gateway.logs.some((line) => String(line['msg']).startsWith('graphql request'))).toBe(true);
    for (const secret of ['PROCESS-SECRET', 'PROCESS-COOKIE']) expect(output).not.toContain(secret);
  }, 60_000);

  it('cuts requests still running after SHUTDOWN_DRAIN_MS and still exits 0', async () => {
    gateway = spawnGateway({
      PORT: '0',
      DEMO_ORDERS_HANG: 'true',
      ORDERS_TIMEOUT_MS: '60000',
      REQUEST_TIMEOUT_MS: '60000',
      SHUTDOWN_DRAIN_MS: '1000',
    });
    const port = (await gateway.waitForLog(isListening))['port'] as number;
    const hung = post(port, '{ dashboard(userId: "1") { orders { id } } }').then(
      () => 'answered',
      () => 'cut',
    );
    await untilInFlight(port, 'orders');

    const signalled = Date.now();
    gateway.child.kill('SIGTERM');
    const exit = await gateway.exited;
    const tookMs = Date.now() - signalled;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await hung).toBe('cut');
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(20_000);
    expect(gateway.logs.find((line) => line['msg'] === 'gateway stopped')).toMatchObject({ outcome: 'cut' });
  }, 60_000);

  it('a second signal during the drain exits at once, code 1, saying so', async () => {
    gateway = spawnGateway({ PORT: '0', DEMO_ORDERS_HANG: 'true', ORDERS_TIMEOUT_MS: '60000', REQUEST_TIMEOUT_MS: '60000', SHUTDOWN_DRAIN_MS: '30000' });
    const port = (await gateway.waitForLog(isListening))['port'] as number;
    const hung = post(port, '{ dashboard(userId: "1") { orders { id } } }').catch(() => 'cut');
    await untilInFlight(port, 'orders');

    gateway.child.kill('SIGINT');
    await gateway.waitForLog((line) => String(line['msg']).startsWith('draining'));
    const signalled = Date.now();
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000); // not the 30 s drain
    expect(gateway.logs.find((line) => String(line['msg']).startsWith('second signal'))).toMatchObject({ level: 40, signal: 'SIGINT' });
    await hung;
  }, 60_000);
});

describe('shutdown while a write is in flight', () => {
  let orders: DemoUpstreams | undefined;
  afterEach(async () => {
    await orders?.close();
    orders = undefined;
  });

  it('a write whose client has left still runs to its outcome: the drain does not cut its upstream call', async () => {
    orders = await startDemoUpstreams({ services: ['orders'], knobs: { orders: { latencyMs: 1500 } } });
    gateway = spawnGateway({ PORT: '0', ORDERS_SERVICE_URL: orders.urls.orders.href, ORDERS_TIMEOUT_MS: '20000', SHUTDOWN_DRAIN_MS: '15000' });
    const port = (await gateway.waitForLog(isListening))['port'] as number;
    const client = new AbortController();
    const mutation = 'mutation { placeOrder(input: { userId: "1", productId: "p1", quantity: 1 }) { order { id } } }';
    const left = fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: mutation }),
      signal: client.signal,
    }).catch(() => 'left');
    while (orders.stats.orders.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    client.abort();
    expect(await left).toBe('left');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(orders.writes.placedOrders).toHaveLength(1);
  }, 60_000);
});

describe('shutdown with tracing on and the collector down', () => {
  it('still exits 0, promptly, without waiting out the exporter', async () => {
    const { closedPortUrl } = await import('../helpers/upstream.js');
    gateway = spawnGateway({ PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: (await closedPortUrl()).href });
    const port = (await gateway.waitForLog(isListening))['port'] as number;
    expect((await post(port, '{ user(id: "1") { name } }')).status).toBe(200);

    const signalled = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(gateway.logs.some((line) => line['msg'] === 'gateway stopped')).toBe(true);
  }, 60_000);
});
