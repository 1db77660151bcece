import { afterEach, expect, it } from 'vitest';
import { idempotencyKeyHash } from '../../src/writes/idempotency-key.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/logs.js';
import { startOtlpCollector, type OtlpCollector } from '../helpers/otlp-collector.js';
import { scrape, total } from '../helpers/prometheus.js';

/**
 * Writes are watched as reads are (logs, metrics, traces, extensions.upstreams),
 * by method; the idempotency key itself appears nowhere, only its hash.
 */
const KEY = 'client-secret-key-0001';
const PLACE = `mutation { placeOrder(input: { userId: "1", productId: "p3", quantity: 2 }, idempotencyKey: "${KEY}") { order { id } } }`;
const REFUSED = `mutation { placeOrder(input: { userId: "1", productId: "p3", quantity: 500 }, idempotencyKey: "other-key") { order { id } } }`;

let gw: TestGateway | undefined;
let collector: OtlpCollector | undefined;
afterEach(async () => {
  await gw?.close();
  await collector?.close();
  gw = collector = undefined;
});

it('logs each write at info, with the hash of its key, never the key', async () => {
  const logs = captureLogs('info');
  gw = await startGateway({ logger: logs.logger });
  await gw.query(PLACE, {}, { 'x-request-id': 'write-1' });
  await gw.query('{ user(id: "1") { name } }');

  expect(logs.lines('upstream write')).toEqual([
    expect.objectContaining({
      requestId: 'write-1',
      upstream: 'orders',
      method: 'POST',
      route: '/orders',
      idempotencyKeyHash: idempotencyKeyHash(KEY),
      attempts: 1,
      status: 201,
      outcome: 'ok',
    }),
  ]);
  expect(idempotencyKeyHash(KEY)).toMatch(/^sha256:[\da-f]{16}$/);
  // Reads stay at debug.
  expect(logs.lines('upstream call')).toEqual([]);
  expect(logs.raw.join('')).not.toContain(KEY);
});

it('counts writes by method and outcome, a refusal as refused', async () => {
  gw = await startGateway();
  await gw.query(PLACE);
  await gw.query(REFUSED);
  await gw.query('{ user(id: "1") { name } }');
  const metrics = await scrape(gw.url.replace('/graphql', '/'));
  const calls = (labels: Record<string, string>) => total(metrics, 'gateway_upstream_calls_total', labels);
  expect(calls({ service: 'orders', method: 'POST', route: '/orders', code: 'ok' })).toBe(1);
  expect(calls({ service: 'orders', method: 'POST', route: '/orders', code: 'refused' })).toBe(1);
  expect(calls({ method: 'GET' })).toBe(calls({}) - 2);
  expect(total(metrics, 'gateway_upstream_call_duration_seconds_count', { method: 'POST' })).toBe(2);
});

it('lists a write in extensions.upstreams with its method, a refusal with its status and no code', async () => {
  gw = await startGateway();
  const placed = await gw.query(PLACE, {}, { 'x-gateway-trace': '1' });
  expect(placed.body.extensions.upstreams).toEqual([
    { service: 'orders', route: '/orders', method: 'POST', batch: false, keys: 1, status: 201, attempts: 1, startMs: expect.any(Number), durationMs: expect.any(Number) },
  ]);
  const refused = await gw.query(REFUSED, {}, { 'x-gateway-trace': '1' });
  expect(refused.body.extensions.upstreams).toEqual([expect.objectContaining({ method: 'POST', status: 422, attempts: 1 })]);
  expect(refused.body.extensions.upstreams[0]).not.toHaveProperty('code');
  expect(JSON.stringify(placed.body)).not.toContain(idempotencyKeyHash(KEY));
});

it('traces a write as a POST span with the hash of its key', async () => {
  collector = await startOtlpCollector();
  gw = await startGateway({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } });
  await gw.query(PLACE);
  await gw.gateway.close(); // flushes the span batch

  const span = collector.spans.find((candidate) => candidate.name === 'POST /orders');
  expect(span?.attributes).toMatchObject({
    'http.request.method': 'POST',
    'url.template': '/orders',
    'upstream.service': 'orders',
    'upstream.idempotency_key_hash': idempotencyKeyHash(KEY),
    'http.response.status_code': 201,
    'upstream.outcome': 'ok',
  });
  const attributes = collector.spans.flatMap((each) => Object.values(each.attributes).map(String));
  expect(attributes.filter((value) => value.includes(KEY))).toEqual([]);
  expect(gw.demo.stats.orders.calls[0]?.headers['traceparent']).toBe(`00-${span!.traceId}-${span!.spanId}-01`);
});
