import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_UNLUCKY_USER_ID } from '../../src/demo/data.js';
import type { UpstreamCallTrace } from '../../src/errors/contract.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postIncremental } from '../helpers/incremental.js';

const DASHBOARD = /* GraphQL */ `
  query ($userId: ID!) { dashboard(userId: $userId) { user { name } orders { id product { name } } notifications { id } } }
`;
const TRACE = { 'x-gateway-trace': '1' };

describe('extensions.upstreams, the upstream trace', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('is absent unless the request asks for it (default mode: header)', async () => {
    gw = await startGateway();
    const { body } = await gw.query(DASHBOARD, { userId: '1' });
    expect(body.data.dashboard.user.name).toBe('Grace Lovelace');
    expect(body.extensions).toBeUndefined();
  });

  it('lists each REST call with service, route template, keys, status, attempts and timing', async () => {
    gw = await startGateway();
    const { body } = await gw.query(DASHBOARD, { userId: '1' }, TRACE);
    const calls = body.extensions.upstreams as UpstreamCallTrace[];

    expect(calls.map((call) => call.service).sort()).toEqual(['notifications', 'orders', 'products', 'users']);
    expect(calls).toContainEqual({ service: 'users', route: '/users?ids={keys}', batch: true, keys: 1, status: 200, attempts: 1, startMs: expect.any(Number), durationMs: expect.any(Number) });
    expect(calls).toContainEqual(expect.objectContaining({ service: 'orders', route: '/orders?userIds={keys}', keys: 1, status: 200 }));
    // As many calls as the demo upstreams saw: nothing missing, nothing invented.
    expect(calls.length).toBe(Object.values(gw.demo.stats).reduce((sum, stat) => sum + stat.calls.length, 0));
    for (const call of calls) {
      expect(call.startMs).toBeGreaterThanOrEqual(0);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('never shows a host, a port, an id or a header', async () => {
    gw = await startGateway();
    const { body } = await gw.query(DASHBOARD, { userId: DEMO_UNLUCKY_USER_ID }, { ...TRACE, authorization: 'Bearer secret-token' });
    const text = JSON.stringify(body.extensions.upstreams);

    for (const url of Object.values(gw.demo.urls)) {
      expect(text).not.toContain(url.host);
      expect(text).not.toContain(`:${url.port}`);
    }
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(DEMO_UNLUCKY_USER_ID);
    expect(text).not.toContain('secret-token');
  });

  it('shows a failed call with its status, code and retries, and per-key calls with their route', async () => {
    gw = await startGateway({ env: { NOTIFICATIONS_BATCH: 'false' } });
    const { body } = await gw.query(DASHBOARD, { userId: DEMO_UNLUCKY_USER_ID }, TRACE);

    expect(body.extensions.upstreams).toContainEqual(
      expect.objectContaining({ service: 'notifications', route: '/users/{key}/notifications', batch: false, keys: 1, status: 503, code: 'HTTP_ERROR', attempts: 3 }),
    );
    expect(body.extensions.errors).toEqual([expect.objectContaining({ service: 'notifications', attempts: 3 })]);
  });

  it('with several keys in one batch, counts them', async () => {
    gw = await startGateway();
    const { body } = await gw.query('{ users(ids: ["1", "2", "3"]) { name } }', undefined, TRACE);
    expect(body.extensions.upstreams).toEqual([expect.objectContaining({ service: 'users', batch: true, keys: 3, status: 200 })]);
  });

  it('lists, in each part of a deferred response, the calls that ended while it was computed', async () => {
    gw = await startGateway({ demo: { knobs: { notifications: { latencyMs: 300 } } } });
    const query = '{ dashboard(userId: "1") { user { name } ... @defer { notifications { id } } } }';
    const { parts } = await postIncremental(gw.url, 'multipart', { query }, TRACE);

    expect(parts.map((part) => part.body.extensions.upstreams.map((call: UpstreamCallTrace) => call.service))).toEqual([['users'], ['notifications']]);
    expect(parts[1]!.body.extensions.upstreams[0].durationMs).toBeGreaterThanOrEqual(250);
  });

  it('is on every response with UPSTREAM_TRACE=always', async () => {
    gw = await startGateway({ env: { UPSTREAM_TRACE: 'always' } });
    const { body } = await gw.query(DASHBOARD, { userId: '1' });
    expect(body.extensions.upstreams.length).toBeGreaterThan(0);
  });

  it('is never there with UPSTREAM_TRACE=off, nor in production unless the operator turns it on', async () => {
    gw = await startGateway({ env: { UPSTREAM_TRACE: 'off' } });
    expect((await gw.query(DASHBOARD, { userId: '1' }, TRACE)).body.extensions).toBeUndefined();
    await gw.close();

    gw = await startGateway({ env: { NODE_ENV: 'production' } });
    expect((await gw.query(DASHBOARD, { userId: '1' }, TRACE)).body.extensions).toBeUndefined();
    await gw.close();

    gw = await startGateway({ env: { NODE_ENV: 'production', UPSTREAM_TRACE: 'header' } });
    expect((await gw.query(DASHBOARD, { userId: '1' }, TRACE)).body.extensions.upstreams.length).toBeGreaterThan(0);
  });
});
