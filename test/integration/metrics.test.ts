import { afterEach, describe, expect, it } from 'vitest';
import type { KeyedRead } from '../../src/services/define.js';
import { READS, SERVICE_NAMES } from '../../src/services/index.js';
import type { BreakerStates } from '../../src/observability/index.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape, total, type Sample } from '../helpers/prometheus.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const base = (gw: TestGateway) => gw.url.replace('/graphql', '/');

// Every route label the gateway may use: the templates of the REST contract, nothing built from ids.
const TEMPLATES = new Set(
  (Object.values(READS) as KeyedRead[]).flatMap((read) => [`/${read.perKey}`, `/${read.batch.path}?${read.batch.param}={keys}`]),
);

describe('GET /metrics', () => {
  it('counts known traffic exactly: calls by outcome, retries, batch sizes, GraphQL results, errors', async () => {
    gateway = await startGateway({ env: { PRODUCTS_BATCH: 'false', ORDERS_RETRIES: '1' } });
    const gw = gateway;

    for (let i = 0; i < 3; i++) await gw.query('{ user(id: "1") { name } }');
    await gw.query('{ users(ids: ["1", "2", "3"]) { name } }');
    await gw.query('{ product(id: "p1") { name } }');
    await gw.query('{ product(id: "no-such-product") { name } }');
    gw.demo.knobs.orders.failStatus = 503; // retryable: each orders call is tried twice
    for (let i = 0; i < 2; i++) await gw.query('{ dashboard(userId: "5") { orders { id } } }');
    await gw.query('{ nope }'); // invalid: a top-level error, no upstream call
    const seenByUpstreams = callCounts(gw.demo);

    const metrics = await scrape(base(gw));
    const calls = (labels: Record<string, string>) => total(metrics, 'gateway_upstream_calls_total', labels);

    expect(calls({ service: 'users', route: '/users?ids={keys}', code: 'ok' })).toBe(4);
    expect(calls({ service: 'products', route: '/products/{key}', code: 'ok' })).toBe(1);
    expect(calls({ service: 'products', route: '/products/{key}', code: 'not-found' })).toBe(1);
    expect(calls({ service: 'orders', route: '/orders?userIds={keys}', code: 'HTTP_ERROR' })).toBe(2);
    expect(total(metrics, 'gateway_upstream_calls_total')).toBe(8);
    expect(total(metrics, 'gateway_upstream_retries_total', { service: 'orders' })).toBe(2);
    expect(total(metrics, 'gateway_upstream_retries_total')).toBe(2);
    // What the upstreams saw is calls plus retries, service by service.
    for (const service of ['users', 'orders', 'products'] as const) {
      expect(total(metrics, 'gateway_upstream_calls_total', { service }) + total(metrics, 'gateway_upstream_retries_total', { service })).toBe(
        seenByUpstreams[service],
      );
    }

    expect(total(metrics, 'gateway_upstream_call_duration_seconds_count', { service: 'users', code: 'ok' })).toBe(4);
    expect(total(metrics, 'gateway_upstream_call_duration_seconds_count')).toBe(8);
    // Batch sizes: users 1,1,1,3 and orders 1,1; per-key products calls are not batches.
    expect(total(metrics, 'gateway_upstream_batch_size_count', { service: 'users' })).toBe(4);
    expect(total(metrics, 'gateway_upstream_batch_size_sum', { service: 'users' })).toBe(6);
    expect(total(metrics, 'gateway_upstream_batch_size_bucket', { service: 'users', le: '2' })).toBe(3);
    expect(total(metrics, 'gateway_upstream_batch_size_count', { service: 'products' })).toBe(0);

    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'ok' })).toBe(6);
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'partial' })).toBe(2);
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'error' })).toBe(1);
    expect(total(metrics, 'graphql_envelop_request')).toBe(8);
    expect(total(metrics, 'graphql_envelop_error_result', { phase: 'validate' })).toBe(1);
    expect(total(metrics, 'graphql_envelop_request_duration_count')).toBe(8);
    expect(total(metrics, 'graphql_yoga_http_duration_count', { method: 'POST' })).toBe(9); // the invalid one too

    expect(total(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(total(metrics, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expectBoundedLabels(metrics);
  });

  it('shows in-flight calls per service and the circuit-breaker state fed by breakerStates()', async () => {
    let states: ReturnType<BreakerStates> = {};
    gateway = await startGateway({ breakerStates: () => states, demo: { knobs: { inventory: { latencyMs: 400 } } } });
    const gw = gateway;

    const slow = gw.query('{ product(id: "p2") { stock { available } } }');
    await until(() => gw.demo.stats.inventory.inFlight === 1);
    states = { orders: 'open', users: 'half-open' };
    const during = await scrape(base(gw));
    await slow;
    const after = await scrape(base(gw));

    expect(total(during, 'gateway_upstream_in_flight', { service: 'inventory' })).toBe(1);
    expect(total(during, 'gateway_upstream_in_flight')).toBe(1);
    expect(total(after, 'gateway_upstream_in_flight')).toBe(0);
    expect(total(during, 'gateway_upstream_circuit_state', { service: 'orders', state: 'open' })).toBe(1);
    expect(total(during, 'gateway_upstream_circuit_state', { service: 'orders', state: 'closed' })).toBe(0);
    expect(total(during, 'gateway_upstream_circuit_state', { service: 'users', state: 'half-open' })).toBe(1);
    expect(total(during, 'gateway_upstream_circuit_state', { service: 'inventory', state: 'closed' })).toBe(1);
    // Every other service's breaker is closed, however many services there are.
    expect(total(during, 'gateway_upstream_circuit_state', { state: 'closed' })).toBe(SERVICE_NAMES.length - 2);
  });

  it('defaults every breaker to closed', async () => {
    gateway = await startGateway();
    const metrics = await scrape(base(gateway));
    expect(total(metrics, 'gateway_upstream_circuit_state', { state: 'closed' })).toBe(SERVICE_NAMES.length);
    expect(total(metrics, 'gateway_upstream_circuit_state', { state: 'open' })).toBe(0);
  });
});

/** No label value carries an id, a URL or a client-chosen name. */
function expectBoundedLabels(metrics: readonly Sample[]): void {
  for (const sample of metrics) {
    if (sample.labels['route'] !== undefined) expect(TEMPLATES).toContain(sample.labels['route']);
    expect(sample.labels).not.toHaveProperty('url');
    expect(sample.labels).not.toHaveProperty('operationName');
    expect(sample.labels).not.toHaveProperty('path');
    for (const value of Object.values(sample.labels)) expect(value).not.toMatch(/no-such-product|p1\b|http:/);
  }
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
