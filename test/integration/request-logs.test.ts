import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postIncremental } from '../helpers/incremental.js';
import { captureLogs } from '../helpers/logs.js';
import { scrape, total } from '../helpers/prometheus.js';

const DASHBOARD = 'query Dash($id: ID!) { dashboard(userId: $id) { user { name } orders { id } notifications { id } } }';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('request logs', () => {
  it('writes one line per GraphQL request with its id, operation, duration, upstream calls and failures by code', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger, demo: { knobs: { orders: { failStatus: 500 } } } });

    const answer = await gateway.query(DASHBOARD, { id: '1' }, { 'x-request-id': 'req-abc.1' });

    expect(answer.body.extensions.errors).toHaveLength(1);
    const lines = logs.lines().filter((line) => String(line['msg']).startsWith('graphql request'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'req-abc.1',
      operationName: 'Dash',
      operationType: 'query',
      method: 'POST',
      path: '/graphql',
      status: 200,
      upstreamCalls: 3,
      upstreamFailures: { HTTP_ERROR: 1 },
      graphqlErrors: 0,
      msg: 'graphql request (partial)',
    });
    expect(lines[0]!['durationMs']).toEqual(expect.any(Number));
    // Nothing below info at level info.
    expect(logs.lines().filter((line) => (line['level'] as number) < 30)).toEqual([]);
  });

  it('takes x-request-id from the client, returns it, sends it upstream and logs it; generates one when absent or unusable', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger });
    const query = '{ user(id: "1") { name } }';

    const given = await gateway.query(query, {}, { 'x-request-id': 'client-id-42' });
    expect(given.headers.get('x-request-id')).toBe('client-id-42');
    expect(gateway.demo.stats.users.calls.at(-1)?.headers['x-request-id']).toBe('client-id-42');

    const absent = await gateway.query(query);
    const generated = absent.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(gateway.demo.stats.users.calls.at(-1)?.headers['x-request-id']).toBe(generated);

    const unusable = await gateway.query(query, {}, { 'x-request-id': 'has spaces and "quotes"' });
    const replaced = unusable.headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(gateway.demo.stats.users.calls.at(-1)?.headers['x-request-id']).toBe(replaced);

    expect(logs.lines('graphql request').map((line) => line['requestId'])).toEqual(['client-id-42', generated, replaced]);
  });

  it('at debug, logs each upstream call with the route template, never the ids', async () => {
    const logs = captureLogs('debug');
    gateway = await startGateway({
      logger: logs.logger,
      env: { USERS_BATCH: 'false', ORDERS_RETRIES: '1' },
      demo: { knobs: { orders: { failStatus: 503 } } },
    });

    await gateway.query('{ user(id: "217") { name orders { id } } products(ids: ["p7", "p9"]) { name } }', {}, { 'x-request-id': 'dbg-1' });

    const calls = logs.lines('upstream call');
    const byService = Object.fromEntries(calls.map((line) => [line['upstream'], line]));
    expect(byService['users']).toMatchObject({
      requestId: 'dbg-1', route: '/users/{key}', batch: false, batchSize: 1, attempts: 1, status: 200, outcome: 'ok',
    });
    expect(byService['products']).toMatchObject({ route: '/products?ids={keys}', batch: true, batchSize: 2, outcome: 'ok' });
    expect(byService['orders']).toMatchObject({ route: '/orders?userIds={keys}', attempts: 2, status: 503, outcome: 'HTTP_ERROR' });
    expect(logs.lines('upstream attempt failed').filter((line) => line['upstream'] === 'orders').map((line) => line['attempt'])).toEqual([1, 2]);
    for (const line of calls) expect(line['durationMs']).toEqual(expect.any(Number));

    const text = logs.raw.join('');
    for (const id of ['217', 'p7', 'p9']) expect(text).not.toContain(id);
    // One meaning per key: the base field `service` (this process) must not be repeated by a call's own fields.
    for (const line of logs.raw) expect(line.match(/"service":/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('logs the operation name of a document that fails validation (every time, parse cache or not)', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger });
    for (let i = 0; i < 2; i++) expect((await gateway.query('query Bad { nope }')).body.errors).toHaveLength(1);
    const lines = logs.lines().filter((line) => String(line['msg']).startsWith('graphql request'));
    expect(lines.map((line) => [line['operationName'], line['graphqlErrors']])).toEqual([['Bad', 1], ['Bad', 1]]);
  });

  it('caps client strings and escapes line separators and bidi controls (issue 16)', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger });
    // A 999 KB operation name, in the parameters and in the document itself.
    const longName = `N${'x'.repeat(999_000)}`;
    const asked = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', operationName: longName }),
    });
    expect(asked.status).toBeLessThan(500);
    expect((await gateway.query(`query ${longName} { __typename }`)).status).toBe(200);
    // Separators that end a line in JavaScript and some viewers, and controls that reorder what a person reads.
    const spoof = 'Q\u2028fake line\u2029\u202Edesrever\u2066isolate\u2069\u200F';
    await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', operationName: spoof }) });

    const lines = logs.raw.filter((line) => line.includes('"graphql request'));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.length).toBeLessThan(2_000);
      expect(line).not.toMatch(/[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    }
    const names = lines.map((line) => JSON.parse(line).operationName as string | null);
    expect(names[0]).toMatch(/^Nx{1023}…\[997977 more\]$/);
    expect(names[1]).toMatch(/^Nx{1023}…\[997977 more\]$/);
    // Escaped, not removed: the line still decodes to what the client sent.
    expect(names[2]).toBe(spoof);
  });

  it('logs a breaker opening (warn) and closing again (info), naming the upstream', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({
      logger: logs.logger,
      env: { ORDERS_BREAKER_FAILURES: '2', ORDERS_RETRIES: '0', ORDERS_BREAKER_COOLDOWN_MS: '100' },
      demo: { knobs: { orders: { failStatus: 503 } } },
    });
    for (const id of ['1', '2']) await gateway.query(DASHBOARD, { id });
    expect(logs.lines('circuit opened: calls fail at once until a probe succeeds')).toEqual([
      expect.objectContaining({ level: 40, upstream: 'orders', trips: 1, cooldownMs: expect.any(Number) }),
    ]);
    gateway.demo.knobs.orders.failStatus = null;
    await new Promise((resolve) => setTimeout(resolve, 100 * 1.2 + 50));
    expect((await gateway.query(DASHBOARD, { id: '3' })).body.extensions).toBeUndefined();
    expect(logs.lines('circuit closed: calls go out again')).toEqual([expect.objectContaining({ level: 30, upstream: 'orders' })]);
  });

  it('a client that left is logged and counted as gone, and the calls cancelled for it are not upstream failures', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger, demo: { knobs: { users: { latencyMs: 400 } } } });
    const controller = new AbortController();
    const leaving = fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gone-1' },
      body: JSON.stringify({ query: '{ user(id: "3") { name } }' }),
      signal: controller.signal,
    }).catch(() => 'left');
    await expect.poll(() => gateway!.demo.stats.users.calls.length).toBe(1); // the call is under way
    controller.abort();
    expect(await leaving).toBe('left');
    await expect.poll(() => logs.lines().filter((line) => line['requestId'] === 'gone-1')).toHaveLength(1);

    const [line] = logs.lines().filter((entry) => entry['requestId'] === 'gone-1');
    expect(line).toMatchObject({ msg: 'graphql request (client gone)', clientGone: true, upstreamFailures: {} });
    const metrics = await scrape(gateway.url.replace('/graphql', '/'));
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'client_gone' })).toBe(1);
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'partial' })).toBe(0);
  });

  it('never logs authorization, cookies or tokens, even at trace level', async () => {
    const logs = captureLogs('trace');
    gateway = await startGateway({ logger: logs.logger });
    const secrets = ['Bearer sk-live-AUTH-SECRET', 'session=COOKIE-SECRET', 'API-KEY-SECRET', 'VARIABLE-SECRET'];

    await gateway.query('query Q($id: ID!) { user(id: $id) { name } }', { id: 'VARIABLE-SECRET' }, {
      authorization: secrets[0]!,
      cookie: secrets[1]!,
      'x-api-key': secrets[2]!,
    });
    // Something that does log a request's headers is redacted too.
    logs.logger.info({ req: { headers: { authorization: secrets[0], cookie: secrets[1], 'x-api-key': secrets[2] } } }, 'a request');

    const text = logs.raw.join('');
    expect(logs.lines('graphql request')).toHaveLength(1);
    expect(text).toContain('[redacted]');
    for (const secret of ['AUTH-SECRET', 'COOKIE-SECRET', 'API-KEY-SECRET', 'VARIABLE-SECRET']) expect(text).not.toContain(secret);
  });
});

describe('request logs and metrics of an incremental (@defer) response', () => {
  it('count the failure of a deferred part, written once the last part is sent', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger, demo: { knobs: { notifications: { latencyMs: 150, failStatus: 503 } } } });
    const { parts } = await postIncremental(gateway.url, 'multipart', {
      query: 'query Deferred { dashboard(userId: "1") { user { name } ... @defer { notifications { id } } } }',
    });
    expect(parts.length).toBeGreaterThan(1);
    expect(JSON.stringify(parts.at(-1)!.body)).toContain('"code":"HTTP_ERROR"');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logs.lines('graphql request (partial)');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ operationName: 'Deferred', upstreamFailures: { HTTP_ERROR: 1 } });
    const metrics = await scrape(gateway.url.replace('/graphql', '/'));
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'partial' })).toBe(1);
    expect(total(metrics, 'gateway_graphql_responses_total', { result: 'ok' })).toBe(0);
  });

  it('log and count a @defer request refused with 406 (the client accepts no incremental format)', async () => {
    const logs = captureLogs('info');
    gateway = await startGateway({ logger: logs.logger });
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'query D { dashboard(userId: "1") { user { name } ... @defer { orders { id } } } }' }),
    });
    expect(response.status).toBe(406);
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs.lines().filter((line) => String(line['msg']).startsWith('graphql request'))).toHaveLength(1);
  });
});
