import { mkdirSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { renderTree, startOtlpCollector, type CollectedSpan, type OtlpCollector } from '../helpers/otlp-collector.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

const SERVER = 2;
const CLIENT = 3;
const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

let gateway: TestGateway | undefined;
let collector: OtlpCollector | undefined;
let users: TestUpstream | undefined;
afterEach(async () => {
  await gateway?.close();
  await collector?.close();
  await users?.close();
  gateway = collector = users = undefined;
});

/** A users upstream that records the headers of every call. */
async function recordingUsers(): Promise<{ upstream: TestUpstream; headers: http.IncomingHttpHeaders[] }> {
  const headers: http.IncomingHttpHeaders[] = [];
  const upstream = await startUpstream((request, response) => {
    headers.push(request.headers);
    const ids = new URL(request.url ?? '/', 'http://x').searchParams.get('ids')?.split(',') ?? [];
    sendJson(response, 200, ids.map((id) => ({ id, name: `User ${id}`, email: `${id}@example.com` })));
  });
  return { upstream, headers };
}

describe('traces', () => {
  it('exports an operation span, resolver spans and upstream call spans, and sends traceparent upstream', async () => {
    collector = await startOtlpCollector();
    const recorded = await recordingUsers();
    users = recorded.upstream;
    gateway = await startGateway({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SERVICE_NAME: 'gateway-under-test', ORDERS_RETRIES: '1' },
      urls: { users: users.url },
      demo: { knobs: { orders: { failStatus: 503 } } },
    });

    const answer = await gateway.query(
      'query Dash { dashboard(userId: "7") { user { name } orders { id } } }',
      {},
      { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, 'x-request-id': 'trace-req-1' },
    );
    expect(answer.body.data.dashboard.user.name).toBe('User 7');
    expect(answer.body.extensions.errors[0]).toMatchObject({ service: 'orders', attempts: 2 });
    await gateway.gateway.close(); // flushes the span batch

    const spans = collector.spans;
    expect(collector.posts.every((post) => post.path === '/v1/traces' && post.contentType === 'application/json')).toBe(true);
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/trace.txt', `${renderTree(spans)}\n`);

    const byName = (name: string) => one(spans.filter((span) => span.name === name), name);
    const operation = byName('query.Dash');
    expect(operation).toMatchObject({ kind: SERVER, traceId: CLIENT_TRACE, parentSpanId: CLIENT_SPAN, serviceName: 'gateway-under-test' });
    expect(operation.attributes).toMatchObject({ 'graphql.execute.operationName': 'Dash', 'graphql.execute.operationType': 'query' });
    for (const span of spans) expect(span.traceId).toBe(CLIENT_TRACE);

    const dashboard = byName('Query.dashboard');
    expect(dashboard.parentSpanId).toBe(operation.spanId);
    expect(byName('Dashboard.user').parentSpanId).toBe(dashboard.spanId);
    // Scalar fields get no span.
    expect(spans.filter((span) => span.name === 'User.name' || span.name === 'Order.id')).toEqual([]);

    const usersCall = byName('GET /users?ids={keys}');
    expect(usersCall.kind).toBe(CLIENT);
    expect([dashboard.spanId, byName('Dashboard.user').spanId]).toContain(usersCall.parentSpanId);
    expect(usersCall.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/users?ids={keys}',
      'upstream.service': 'users',
      'upstream.batch': true,
      'upstream.batch_size': 1,
      'upstream.attempts': 1,
      'upstream.outcome': 'ok',
      'http.response.status_code': 200,
    });

    const ordersCall = byName('GET /orders?userIds={keys}');
    expect(ordersCall.attributes).toMatchObject({ 'upstream.service': 'orders', 'upstream.attempts': 2, 'upstream.outcome': 'HTTP_ERROR', 'http.response.status_code': 503 });
    expect(ordersCall.status.code).toBe(2); // ERROR
    expect(ordersCall.events.map((event) => event.attributes['upstream.attempt'])).toEqual([1, 2]);

    // The upstream joins the trace: its parent is the gateway's call span.
    expect(recorded.headers).toHaveLength(1);
    expect(recorded.headers[0]!['traceparent']).toBe(`00-${CLIENT_TRACE}-${usersCall.spanId}-01`);
    expect(recorded.headers[0]!['x-request-id']).toBe('trace-req-1');
    const ordersSeen = gateway.demo.stats.orders.calls;
    expect(ordersSeen.map((call) => call.headers['traceparent'])).toEqual([
      `00-${CLIENT_TRACE}-${ordersCall.spanId}-01`,
      `00-${CLIENT_TRACE}-${ordersCall.spanId}-01`,
    ]);
  });

  it('starts a new trace when the client sends none', async () => {
    collector = await startOtlpCollector();
    gateway = await startGateway({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint } });
    await gateway.query('{ user(id: "3") { name } }');
    await gateway.gateway.close();

    const operation = one(collector.spans.filter((span) => span.name === 'query.anonymous'), 'query.anonymous');
    expect(operation.parentSpanId).toBeUndefined();
    const call = one(collector.spans.filter((span) => span.kind === CLIENT), 'client span');
    expect(call.traceId).toBe(operation.traceId);
    expect(gateway.demo.stats.users.calls[0]?.headers['traceparent']).toBe(`00-${operation.traceId}-${call.spanId}-01`);
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT: no spans, the client\'s trace context passed through unchanged', async () => {
    const recorded = await recordingUsers();
    users = recorded.upstream;
    gateway = await startGateway({ urls: { users: users.url } });
    await gateway.query('{ user(id: "3") { name } }', {}, { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
    expect(recorded.headers).toHaveLength(1);
    // Trace context always travels (docs/security.md, "Headers sent upstream"); with tracing off the gateway adds no span of its own.
    expect(recorded.headers[0]!['traceparent']).toBe(`00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`);
    expect(recorded.headers[0]!['x-request-id']).toEqual(expect.any(String));
  });
});

function one(spans: CollectedSpan[], what: string): CollectedSpan {
  if (spans.length !== 1) throw new Error(`expected one ${what} span, got ${spans.length}`);
  return spans[0]!;
}
