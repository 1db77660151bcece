import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ClientDashboardDocument } from '../../examples/client/dashboard.js';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY } from '../../src/graphiql/tabs.js';
import { FAST_MS, listAmplificationQuery, totalCalls, userIds } from '../helpers/attacks.js';
import { startGateway } from '../helpers/gateway.js';
import { postIncremental } from '../helpers/incremental.js';

/**
 * Each limit on its own, at its boundary, with the variable an operator sets:
 * a valid operation one step over the limit is refused (and would otherwise
 * have called upstreams); the same operation at the limit is served.
 */

interface Boundary {
  readonly env: Record<string, string>;
  readonly limit: string;
  readonly message: RegExp;
  readonly over: { query: string; variables?: Record<string, unknown> };
  readonly at: { query: string; variables?: Record<string, unknown> };
  /** Introspection-only operations call no upstream even when served. */
  readonly servedCallsUpstream?: boolean;
}

// Costs 103: the dashboard 1, its user 1 + name 1 + 10 assumed orders x 6, then 10 orders x 2 and 10 notifications x 2.
const dashboard = (alias: string) => `${alias}: dashboard(userId: "1") { user { name orders { id product { name stock { available } } } } orders { id } notifications { id } }`;

const BOUNDARIES: Record<string, Boundary> = {
  depth: {
    env: { MAX_DEPTH: '4' },
    limit: 'depth',
    message: /^Depth limit of 4 exceeded: "dashboard" nests more than 4 levels deep\.$/,
    over: { query: '{ dashboard(userId: "1") { user { orders { product { name } } } } }' },
    at: { query: '{ dashboard(userId: "1") { user { orders { id } } } }' },
  },
  'depth through fragments': {
    env: { MAX_DEPTH: '4' },
    limit: 'depth',
    message: /^Depth limit of 4 exceeded/,
    over: { query: '{ dashboard(userId: "1") { ...D } } fragment D on Dashboard { user { ...U } } fragment U on User { orders { product { name } } }' },
    at: { query: '{ dashboard(userId: "1") { ...D } } fragment D on Dashboard { user { ...U } } fragment U on User { orders { id } }' },
  },
  'introspection depth': {
    env: { MAX_INTROSPECTION_DEPTH: '5' },
    limit: 'introspectionDepth',
    message: /^Introspection depth limit of 5 exceeded/,
    over: { query: '{ __type(name: "User") { fields { type { ofType { ofType { name } } } } } }' },
    at: { query: '{ __type(name: "User") { fields { type { ofType { name } } } } }' },
    servedCallsUpstream: false,
  },
  aliases: {
    env: { MAX_ALIASES: '3' },
    limit: 'aliases',
    message: /^Aliases limit of 3 exceeded, found 4\.$/,
    over: { query: '{ user(id: "1") { a: name b: name c: email d: id } }' },
    at: { query: '{ user(id: "1") { a: name b: name c: email } }' },
  },
  directives: {
    env: { MAX_DIRECTIVES: '3' },
    limit: 'directives',
    message: /^Directives limit of 3 exceeded, found 4\.$/,
    over: { query: '{ user(id: "1") { name @include(if: true) email @include(if: true) id @skip(if: false) orders @include(if: true) { id } } }' },
    at: { query: '{ user(id: "1") { name @include(if: true) email @include(if: true) id @skip(if: false) orders { id } } }' },
  },
  tokens: {
    env: { MAX_TOKENS: '20' },
    limit: 'tokens',
    message: /^Token limit of 20 exceeded\.$/,
    // 21 tokens, and 20.
    over: { query: '{ user(id: "1") { name email id orders { id total quantity status createdAt } } }' },
    at: { query: '{ user(id: "1") { name email id orders { id total quantity status } } }' },
  },
  cost: {
    env: { MAX_COST: '150' },
    limit: 'cost',
    message: /^Cost limit of 150 exceeded: the answer would hold about 206 values\.$/,
    over: { query: `{ ${dashboard('a')} ${dashboard('b')} }` },
    at: { query: `{ ${dashboard('a')} }` },
  },
  // One document; its cost follows the ids each request sends (22 per user: itself, its name, 10 orders x 2).
  'cost of the ids in a variable': {
    env: { MAX_COST: '66' },
    limit: 'cost',
    message: /^Cost limit of 66 exceeded: the answer would hold about 88 values\.$/,
    over: { query: 'query ($ids: [ID!]!) { users(ids: $ids) { name orders { id } } }', variables: { ids: ['1', '2', '3', '4'] } },
    at: { query: 'query ($ids: [ID!]!) { users(ids: $ids) { name orders { id } } }', variables: { ids: ['1', '2', '3'] } },
  },
  'cost of the ids in a variable default': {
    env: { MAX_COST: '66' },
    limit: 'cost',
    message: /^Cost limit of 66 exceeded: the answer would hold about 88 values\.$/,
    over: { query: 'query ($ids: [ID!]! = ["1", "2", "3", "4"]) { users(ids: $ids) { name orders { id } } }' },
    at: { query: 'query ($ids: [ID!]! = ["1", "2", "3"]) { users(ids: $ids) { name orders { id } } }' },
  },
  'root fields': {
    env: { MAX_ROOT_FIELDS: '2' },
    limit: 'rootFields',
    message: /^Root fields limit of 2 exceeded: the operation has 3\.$/,
    over: { query: '{ user(id: "1") { name } product(id: "p1") { name } ...More } fragment More on Query { other: user(id: "2") { name } }' },
    at: { query: '{ user(id: "1") { name } product(id: "p1") { name } ...More } fragment More on Query { user(id: "1") { email } }' },
  },
  'ids in a variable': {
    env: { MAX_IDS_PER_LIST: '3' },
    limit: 'listLength',
    message: /^List limit of 3 exceeded: \$ids has 4 items\.$/,
    over: { query: 'query ($ids: [ID!]!) { users(ids: $ids) { name } }', variables: { ids: ['1', '2', '3', '4'] } },
    at: { query: 'query ($ids: [ID!]!) { users(ids: $ids) { name } }', variables: { ids: ['1', '2', '3'] } },
  },
  'ids in the document': {
    env: { MAX_IDS_PER_LIST: '3' },
    limit: 'listLength',
    message: /^List limit of 3 exceeded: "ids" has 4 items\.$/,
    over: { query: '{ products(ids: ["p1", "p2", "p3", "p4"]) { name } }' },
    at: { query: '{ products(ids: ["p1", "p2", "p3"]) { name } }' },
  },
  'ids in a variable default': {
    env: { MAX_IDS_PER_LIST: '3' },
    limit: 'listLength',
    message: /^List limit of 3 exceeded: \$ids has 4 items\.$/,
    over: { query: 'query ($ids: [ID!]! = ["1", "2", "3", "4"]) { users(ids: $ids) { name } }' },
    at: { query: 'query ($ids: [ID!]! = ["1", "2", "3"]) { users(ids: $ids) { name } }' },
  },
};

describe.each(Object.entries(BOUNDARIES))('limit: %s', (_name, boundary) => {
  it('refuses one step over, before any upstream call, and serves the operation at the limit', async () => {
    const gateway = await startGateway({ env: boundary.env });
    try {
      const over = await gateway.query(boundary.over.query, boundary.over.variables);
      expect(over.status, JSON.stringify(over.body)).toBe(400);
      expect(over.body.data).toBeUndefined();
      expect(over.body.errors).toHaveLength(1);
      expect(over.body.errors[0].message).toMatch(boundary.message);
      expect(over.body.errors[0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit: boundary.limit });
      expect(totalCalls(gateway)).toBe(0);
      expect(over.ms).toBeLessThan(FAST_MS);

      const at = await gateway.query(boundary.at.query, boundary.at.variables);
      expect(at.status, JSON.stringify(at.body)).toBe(200);
      expect(at.body.errors).toBeUndefined();
      if (boundary.servedCallsUpstream !== false) expect(totalCalls(gateway)).toBeGreaterThan(0);
    } finally {
      await gateway.close();
    }
  });
});

describe('the defaults let real clients through', () => {
  it("GraphiQL's introspection query and its default query", async () => {
    const gateway = await startGateway();
    try {
      const introspection = await gateway.query(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, oneOf: true }));
      expect(introspection.body.errors).toBeUndefined();
      expect(introspection.body.data.__schema.queryType.name).toBe('Query');
      const dashboardQuery = await gateway.query(DEFAULT_QUERY);
      expect(dashboardQuery.body.errors).toBeUndefined();
      expect(dashboardQuery.body.data.dashboard.user.id).toBe('1');
    } finally {
      await gateway.close();
    }
  });

  it("GraphiQL's tabs, the example client's query, and the benchmark's nested query at the longest id list", async () => {
    const gateway = await startGateway();
    try {
      const nested = 'query Nested($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name stock { available } } } notifications { id } } }';
      const operations: Array<[string, Record<string, unknown>?]> = [
        [DEFAULT_QUERY],
        [PARTIAL_FAILURE_QUERY],
        [DEFER_QUERY],
        [ClientDashboardDocument.toString(), { userId: '1' }],
        [nested, { ids: userIds(gateway.config.maxIdsPerList) }],
      ];
      for (const [query, variables] of operations) {
        const answer = await gateway.query(query, variables);
        expect(answer.status, query).toBe(200);
        expect(answer.body.errors, query).toBeUndefined();
      }
    } finally {
      await gateway.close();
    }
  });
});

describe('the default cost limit', () => {
  it("refuses issue 16's 500-byte query for a 1 MB answer (10 aliases of 100 users with everything), calling nothing", async () => {
    const gateway = await startGateway();
    try {
      const answer = await gateway.query(listAmplificationQuery(10), { i: userIds(100) });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost' });
      expect(answer.body.errors[0].message).toBe('Cost limit of 20000 exceeded: the answer would hold about 264000 values.');
      expect(totalCalls(gateway)).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});

describe('the cost of deferred fragments', () => {
  // Each product: itself, its id, and per deferred copy of F its name, price and 10 assumed reviews x 3.
  const deferred = (copies: number) =>
    `query ($i: [ID!]!) { products(ids: $i) { id ${'...F @defer '.repeat(copies)}} } fragment F on Product { name price reviews { rating comment } }`;
  const ids = Array.from({ length: 10 }, (_, index) => `p${index + 1}`);

  it('counts each @defer of a fragment, as the executor runs and sends each one: two copies cost twice one', async () => {
    const gateway = await startGateway({ env: { MAX_COST: '400' } });
    try {
      const one = await postIncremental(gateway.url, 'multipart', { query: deferred(1), variables: { i: ids } });
      expect(one.status).toBe(200);
      expect(one.parts.flatMap((part) => part.body.incremental ?? [])).toHaveLength(10);

      const calls = totalCalls(gateway);
      const twice = await gateway.query(deferred(2), { i: ids });
      expect(twice.status).toBe(400);
      expect(twice.body.errors[0].extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost' });
      expect(twice.body.errors[0].message).toBe('Cost limit of 400 exceeded: the answer would hold about 660 values.');
      expect(totalCalls(gateway)).toBe(calls);
    } finally {
      await gateway.close();
    }
  });

  it('the executor does send a fragment deferred three times three times (why each copy counts)', async () => {
    const gateway = await startGateway();
    try {
      const three = await postIncremental(gateway.url, 'multipart', { query: deferred(3), variables: { i: ids } });
      expect(three.status).toBe(200);
      expect(three.parts.flatMap((part) => part.body.incremental ?? [])).toHaveLength(30);
    } finally {
      await gateway.close();
    }
  });
});
