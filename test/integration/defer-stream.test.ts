import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNLUCKY_USER_ID } from '../../src/demo/data.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postIncremental, type IncrementalProtocol } from '../helpers/incremental.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * @defer over real HTTP: the fast part of a dashboard arrives first and the
 * slow service's part when that service answers. Timing bounds are wide (two
 * cores, suites running side by side): the notifications service takes 1 s,
 * everything else answers at once.
 */
const NOTIFICATIONS_LATENCY_MS = 1000;

const DEFERRED_DASHBOARD = /* GraphQL */ `
  query DeferredDashboard($userId: ID!) {
    dashboard(userId: $userId) {
      user { name }
      orders { id total }
      ... @defer(label: "notifications") {
        notifications { id message }
      }
    }
  }
`;

describe('@defer with a 1 s notifications service', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      demo: { knobs: { notifications: { latencyMs: NOTIFICATIONS_LATENCY_MS } } },
      env: { NOTIFICATIONS_RETRIES: '0' },
    });
  });
  afterAll(() => gw.close());

  it.each<IncrementalProtocol>(['multipart', 'sse'])('sends the fast part first and the notifications when they come (%s)', async (protocol) => {
    const { status, contentType, parts } = await postIncremental(gw.url, protocol, { query: DEFERRED_DASHBOARD, variables: { userId: '1' } });

    expect(status).toBe(200);
    expect(contentType).toContain(protocol === 'multipart' ? 'multipart/mixed' : 'text/event-stream');
    expect(parts).toHaveLength(2);
    const [first, last] = parts as [(typeof parts)[0], (typeof parts)[0]];

    expect(first.body.hasNext).toBe(true);
    expect(first.body.data.dashboard.user.name).toBe('Grace Lovelace');
    expect(first.body.data.dashboard.orders.length).toBeGreaterThan(0);
    expect(first.body.data.dashboard).not.toHaveProperty('notifications');
    expect(first.body.extensions?.errors).toBeUndefined();

    expect(last.body.hasNext).toBe(false);
    expect(last.body.incremental).toEqual([
      { data: { notifications: [expect.objectContaining({ id: expect.any(String) })] }, path: ['dashboard'], label: 'notifications' },
    ]);

    // The first part does not wait for the slow service; the last one does.
    expect(first.atMs).toBeLessThan(NOTIFICATIONS_LATENCY_MS * 0.6);
    expect(last.atMs).toBeGreaterThanOrEqual(NOTIFICATIONS_LATENCY_MS * 0.95);
    expect(last.atMs - first.atMs).toBeGreaterThan(NOTIFICATIONS_LATENCY_MS * 0.4);

    mkdirSync('test-output', { recursive: true });
    writeFileSync(
      `test-output/defer-timing-${protocol}.json`,
      `${JSON.stringify({ notificationsLatencyMs: NOTIFICATIONS_LATENCY_MS, firstPartMs: Math.round(first.atMs), lastPartMs: Math.round(last.atMs) }, null, 2)}\n`,
    );
  });

  it('reports a failure inside the deferred part in that part, in the same extensions.errors shape', async () => {
    const { parts } = await postIncremental(gw.url, 'multipart', { query: DEFERRED_DASHBOARD, variables: { userId: DEMO_UNLUCKY_USER_ID } });

    expect(parts).toHaveLength(2);
    const [first, last] = parts as [(typeof parts)[0], (typeof parts)[0]];
    expect(first.body.data.dashboard.user.name).toBe('Murphy Law');
    expect(first.body.extensions?.errors).toBeUndefined();
    expect(last.body.incremental).toEqual([{ data: { notifications: null }, path: ['dashboard'], label: 'notifications' }]);
    expect(last.body.extensions.errors).toEqual([
      {
        service: 'notifications',
        code: 'HTTP_ERROR',
        httpStatus: 503,
        message: 'notifications answered HTTP 503',
        paths: [['dashboard', 'notifications']],
        attempts: 1,
      },
    ]);
    expect(last.atMs).toBeGreaterThanOrEqual(NOTIFICATIONS_LATENCY_MS * 0.95);
  });

  it('streams list items with @stream', async () => {
    const query = /* GraphQL */ `
      query { users(ids: ["1", "2", "3"]) @stream(initialCount: 1) { name } }
    `;
    const { parts } = await postIncremental(gw.url, 'multipart', { query });

    const names = [
      ...parts[0]!.body.data.users,
      ...parts.slice(1).flatMap((part) => (part.body.incremental ?? []).flatMap((increment: { items?: unknown[] }) => increment.items ?? [])),
    ].map((user: { name: string }) => user.name);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.body.data.users).toHaveLength(1);
    expect(names).toHaveLength(3);
    expect(parts.at(-1)!.body.hasNext).toBe(false);
  });

  it.each([
    ['a literal', 'query { users(ids: ["1"]) @stream(initialCount: -1) { name } }', {}],
    ['a variable', 'query ($n: Int!) { users(ids: ["1"]) @stream(initialCount: $n) { name } }', { n: -1 }],
    ['a variable\'s default', 'query ($n: Int = -1) { users(ids: ["1"]) @stream(initialCount: $n) { name } }', {}],
    ['a fragment\'s field', 'query { ...F } fragment F on Query { users(ids: ["1"]) @stream(initialCount: -1) { name } }', {}],
    ['null', 'query ($n: Int) { users(ids: ["1"]) @stream(initialCount: $n) { name } }', { n: null }],
  ])('refuses a negative or null @stream initialCount given as %s as client input, before any call', async (_how, query, variables) => {
    gw.demo.resetStats();
    const { body } = await gw.query(query, variables);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^@stream initialCount must be 0 or more, got (-1|null)\.$/), extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(gw.demo.stats.users.calls).toHaveLength(0);
  });

  it('leaves alone what the executor does not run: @stream(if: false), and other operations of the document', async () => {
    const skipped = await gw.query('query { users(ids: ["1"]) @stream(initialCount: -1, if: false) { name } }');
    expect(skipped.body.data.users).toEqual([{ name: expect.any(String) }]);
    const document = 'query Bad { users(ids: ["1"]) @stream(initialCount: -1) { name } } query Good { users(ids: ["1"]) { name } }';
    const body = JSON.stringify({ query: document, operationName: 'Good' });
    const good = (await rawRequest(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json;
    expect(good.data.users).toEqual([{ name: expect.any(String) }]);
  });
});

describe('@defer when the deferred service fails before the initial part is sent', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Users is slow, so the initial part leaves after the notifications failure is recorded.
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 300 } } }, env: { NOTIFICATIONS_RETRIES: '0' } });
  });
  afterAll(() => gw.close());

  it('still reports the failure in the part that carries its null', async () => {
    const { parts } = await postIncremental(gw.url, 'multipart', { query: DEFERRED_DASHBOARD, variables: { userId: DEMO_UNLUCKY_USER_ID } });

    expect(parts).toHaveLength(2);
    const [first, last] = parts as [(typeof parts)[0], (typeof parts)[0]];
    expect(first.body.data.dashboard.user.name).toBe('Murphy Law');
    expect(first.body.extensions?.errors).toBeUndefined();
    expect(last.body.incremental[0].data).toEqual({ notifications: null });
    expect(last.body.extensions.errors).toEqual([expect.objectContaining({ service: 'notifications', paths: [['dashboard', 'notifications']] })]);
  });

  it('reports a failure of the initial part in the initial part', async () => {
    const query = /* GraphQL */ `
      query ($userId: ID!) {
        dashboard(userId: $userId) {
          notifications { id }
          ... @defer { user { name } }
        }
      }
    `;
    const { parts } = await postIncremental(gw.url, 'multipart', { query, variables: { userId: DEMO_UNLUCKY_USER_ID } });

    const [first, last] = parts as [(typeof parts)[0], (typeof parts)[0]];
    expect(first.body.data.dashboard.notifications).toBeNull();
    expect(first.body.extensions.errors).toEqual([expect.objectContaining({ service: 'notifications', paths: [['dashboard', 'notifications']] })]);
    expect(last.body.extensions?.errors).toBeUndefined();
  });
});
