import { afterEach, expect, it } from 'vitest';
import { parseMetrics, total } from '../helpers/prometheus.js';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * METRICS_PORT: Prometheus scrapes a listener of its own, which is not
 * exposed with the service. `/metrics` on the public port (about 3 ms of CPU
 * per scrape, open to anyone) is then a 404. With workers, the primary
 * listens there and answers with the sum over the workers.
 */
let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

const isMetricsListening = (line: Record<string, unknown>) => typeof line['port'] === 'number' && String(line['msg']).startsWith('metrics listening');

/** A GET, or a POST of `body`, on a connection of its own (so the cluster's round-robin may hand it to either worker). */
function get(port: number, path: string, body?: string) {
  const url = `http://127.0.0.1:${port}${path}`;
  return rawRequest(url, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body } : {});
}

/** Each query one users call: none shared with another in flight, none answered by the cache (the demo says max-age=30). */
const EVERY_QUERY_CALLS = { USERS_DEDUPE: 'false', USERS_CACHE: 'false' };

const QUERY = JSON.stringify({ query: '{ user(id: "1") { name } }' });

it('one process: /metrics and /health on METRICS_PORT, /metrics gone from the public port', { timeout: 40_000 }, async () => {
  gateway = spawnGateway({ PORT: '0', METRICS_PORT: '0', ...EVERY_QUERY_CALLS });
  const port = (await gateway.waitForLog(isListening))['port'] as number;
  const metricsPort = (await gateway.waitForLog(isMetricsListening))['port'] as number;
  expect(metricsPort).not.toBe(port);

  for (let index = 0; index < 3; index++) expect((await get(port, '/graphql', QUERY)).status).toBe(200);
  expect((await get(port, '/metrics')).status).toBe(404);
  const scrape = await get(metricsPort, '/metrics');
  expect(scrape.status).toBe(200);
  expect(total(parseMetrics(scrape.text), 'gateway_upstream_calls_total', { service: 'users', code: 'ok' })).toBe(3);

  expect((await get(metricsPort, '/health')).status).toBe(200);
  expect((await get(port, '/health')).status).toBe(200); // the image's HEALTHCHECK still finds it
  expect((await get(port, '/readiness')).status).toBe(200); // readiness speaks for the port that serves traffic
  expect((await get(metricsPort, '/graphql', QUERY)).status).toBe(404);
  expect((await get(metricsPort, '/readiness')).status).toBe(404);
});

it('WORKERS=2: the primary listens on METRICS_PORT and sums every worker', { timeout: 90_000 }, async () => {
  gateway = spawnGateway({ PORT: '0', METRICS_PORT: '0', WORKERS: '2', ...EVERY_QUERY_CALLS });
  const gw = gateway;
  const port = (await gw.waitForLog(isListening, 60_000, 2))['port'] as number;
  const metricsLine = await gw.waitForLog(isMetricsListening, 60_000);
  expect(metricsLine['pid']).toBe(gw.child.pid);

  const REQUESTS = 12;
  await Promise.all(Array.from({ length: REQUESTS }, () => get(port, '/graphql', QUERY)));
  await gw.waitForLog((line) => String(line['msg']).startsWith('graphql request'), 10_000, REQUESTS);
  const servedBy = new Set(gw.logs.filter((line) => String(line['msg']).startsWith('graphql request')).map((line) => line['pid']));
  expect(servedBy.size).toBe(2);

  const scrape = await get(metricsLine['port'] as number, '/metrics');
  expect(scrape.status).toBe(200);
  expect(total(parseMetrics(scrape.text), 'gateway_upstream_calls_total', { service: 'users', code: 'ok' })).toBe(REQUESTS);
  expect((await get(port, '/metrics')).status).toBe(404);
});
