import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceUpstreamCalls, UpstreamCallsStore } from '../../src/graphiql/browser/upstream-calls-store.js';
import { layoutWaterfall, type TracedCall } from '../../src/graphiql/browser/waterfall.js';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY } from '../../src/graphiql/tabs.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { NESTED_50_USERS } from '../helpers/graphiql-page.js';

/**
 * What the "Upstream calls" panel is fed: GraphiQL's own fetcher (the one the
 * page uses, multipart included), wrapped by the panel's recorder, against
 * the real gateway and demo upstreams. The browser test checks the drawing.
 */
let gw: TestGateway;
let store: UpstreamCallsStore;
let fetcher: Fetcher;
beforeAll(async () => {
  gw = await startGateway({ demo: { knobs: { notifications: { latencyMs: 60 } } } });
  store = new UpstreamCallsStore();
  fetcher = traceUpstreamCalls(createGraphiQLFetcher({ url: gw.url, fetch, headers: { 'x-gateway-trace': '1' } }), store);
});
afterAll(() => gw.close());

/** Runs an operation as GraphiQL does: to the end of its last part. */
async function run(query: string, operationName?: string): Promise<void> {
  const result = await fetcher({ query, ...(operationName ? { operationName } : {}) });
  if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
    for await (const _part of result as AsyncIterable<unknown>);
  }
}

const servicesOf = (calls: readonly TracedCall[] | undefined) => (calls ?? []).map((call) => call.service).sort();

describe('the calls the panel draws', () => {
  it('the dashboard: one part, one call to each of the five services', async () => {
    await run(DEFAULT_QUERY);
    const { status, parts } = store.getSnapshot();
    expect(status).toBe('done');
    expect(parts.map((part) => part.title)).toEqual(['Response']);
    expect(servicesOf(parts[0]!.calls)).toEqual(['inventory', 'notifications', 'orders', 'products', 'users']);
  });

  it('the nested 50-user query: five calls in two waves, products and inventory after the orders that name them', async () => {
    await run(NESTED_50_USERS);
    const calls = store.getSnapshot().parts[0]!.calls!;
    expect(calls).toHaveLength(5);
    const byService = Object.fromEntries(calls.map((call) => [call.service, call]));
    expect(Object.values(byService).every((call) => call.batch && call.code === undefined)).toBe(true);
    expect(byService['users']!.keys).toBe(50);
    const ordersEnd = byService['orders']!.startMs + byService['orders']!.durationMs;
    for (const second of ['products', 'inventory']) {
      // startMs is whole milliseconds: allow one for rounding.
      expect(byService[second]!.startMs).toBeGreaterThanOrEqual(ordersEnd - 1);
      for (const first of ['users', 'orders', 'notifications']) expect(byService[second]!.startMs).toBeGreaterThan(byService[first]!.startMs);
    }
  });

  it('@defer: the deferred part is a group of its own, with the call that fed it', async () => {
    await run(DEFER_QUERY);
    const { parts } = store.getSnapshot();
    expect(parts.map((part) => part.title)).toEqual(['Response', '@defer "notifications" at dashboard']);
    expect(servicesOf(parts[0]!.calls)).toEqual(['orders', 'users']);
    expect(servicesOf(parts[1]!.calls)).toEqual(['notifications']);
    expect(layoutWaterfall(parts).groups).toHaveLength(2);
  });

  it('a failed call: its code and attempts, drawn as failed', async () => {
    await run(PARTIAL_FAILURE_QUERY);
    const bars = layoutWaterfall(store.getSnapshot().parts).groups[0]!.services.flatMap((service) => service.bars);
    expect(bars.filter((bar) => bar.failed).map((bar) => [bar.service, bar.label])).toEqual([
      ['notifications', expect.stringContaining('HTTP_ERROR 503 · 3 attempts')],
    ]);
  });

  it("GraphiQL's introspection (the schema) leaves the last operation's calls in place", async () => {
    await run(DEFAULT_QUERY);
    const before = store.getSnapshot();
    await run(getIntrospectionQuery(), 'IntrospectionQuery');
    expect(store.getSnapshot()).toBe(before);
  });

  it('a new run replaces the last one, and the parts of a run overtaken while streaming are dropped', async () => {
    const slow = run(DEFER_QUERY); // its deferred part waits 60 ms for notifications
    await new Promise((resolve) => setTimeout(resolve, 20));
    await run('{ user(id: "2") { name } }');
    await slow;
    const { status, parts } = store.getSnapshot();
    expect(status).toBe('done');
    expect(parts.map((part) => [part.title, servicesOf(part.calls)])).toEqual([['Response', ['users']]]);
  });
});
