import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../src/graphiql.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Upstream-call budgets: for each example operation, the exact number of
 * calls per service. A batching or lookahead regression changes a number and
 * fails here.
 */
const FIFTY = Array.from({ length: 50 }, (_, i) => String(i + 1));

const OPERATIONS: Array<{ name: string; query: string; variables?: Record<string, unknown>; calls: Record<string, number> }> = [
  {
    name: 'GraphiQL default dashboard',
    query: DEFAULT_QUERY,
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
    calls: { users: 0, orders: 1, notifications: 0, products: 1, inventory: 1 },
  },
  {
    name: 'dashboard plus the same user twice',
    query: `{ dashboard(userId: "2") { user { name orders { id } } orders { total } notifications { id } } user(id: "2") { email notifications { read } } }`,
    calls: { users: 1, orders: 1, notifications: 1, products: 0, inventory: 0 },
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
