import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClientDashboardDocument } from '../../examples/client/dashboard.js';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY } from '../../src/graphiql/tabs.js';
import type { ServiceName } from '../../src/services/index.js';
import { postIncremental } from '../helpers/incremental.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Upstream-call budgets: for each example operation, the exact number of
 * calls per service. A batching or lookahead regression changes a number and
 * fails here.
 */
const FIFTY = Array.from({ length: 50 }, (_, i) => String(i + 1));

const OPERATIONS: Array<{ name: string; query: string; variables?: Record<string, unknown>; calls: Partial<Record<ServiceName, number>> }> = [
  {
    name: 'GraphiQL default dashboard',
    query: DEFAULT_QUERY,
    calls: { users: 1, orders: 1, notifications: 1, products: 1, inventory: 1 },
  },
  {
    name: 'the example client\'s dashboard',
    query: String(ClientDashboardDocument),
    calls: { users: 1, orders: 1, notifications: 1, products: 1, inventory: 1 },
  },
  {
    name: 'nested 50-user query',
    query: `query ($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name stock { available } } } notifications { id } } }`,
    variables: { ids: FIFTY },
    calls: { users: 1, orders: 1, notifications: 1, products: 1, inventory: 1 },
  },
  {
    name: 'products with stock and sales',
    query: `{ products(ids: ["p1", "p2", "p3"]) { name stock { available } sales { unitsSold } } product(id: "p4") { name } }`,
    // sales are served by the orders service
    calls: { orders: 1, products: 1, inventory: 1 },
  },
  {
    name: 'dashboard plus the same user twice',
    query: `{ dashboard(userId: "2") { user { name orders { id } } orders { total } notifications { id } } user(id: "2") { email notifications { read } } }`,
    calls: { users: 1, orders: 1, notifications: 1 },
  },
];

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.demo.resetStats());

describe('upstream calls per operation', () => {
  it.each(OPERATIONS)('$name', async ({ query, variables, calls }) => {
    const { body } = await gw.query(query, variables ?? { userId: '1' });
    expect(body.errors).toBeUndefined();
    expect(body.extensions).toBeUndefined();
    expect(callCounts(gw.demo)).toEqual(calls);
  });
});

describe('upstream calls of the GraphiQL tabs that fail or stream', () => {
  it('partial failure: the failing notifications call is tried 3 times (RETRIES=2), the rest once', async () => {
    const { body } = await gw.query(PARTIAL_FAILURE_QUERY);
    expect(body.extensions.errors).toEqual([expect.objectContaining({ service: 'notifications', attempts: 3 })]);
    // The demo's unlucky user has two orders (p1, p2): products and stock in one batch each.
    expect(callCounts(gw.demo)).toEqual({ users: 1, orders: 1, notifications: 3, products: 1, inventory: 1 });
  });

  it('@defer: the deferred part costs its one call, as without @defer', async () => {
    const { parts } = await postIncremental(gw.url, 'multipart', { query: DEFER_QUERY });
    expect(parts.length).toBeGreaterThan(1);
    expect(callCounts(gw.demo)).toEqual({ users: 1, orders: 1, notifications: 1 });
  });
});
