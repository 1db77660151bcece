import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../src/graphiql.js';
import { FAST_MS, totalCalls } from '../helpers/attacks.js';
import { startGateway } from '../helpers/gateway.js';

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

// graphql-armor prices this at 55 (objects 2, scalars 1, x1.5 per level).
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
    env: { MAX_COST: '100' },
    limit: 'cost',
    message: /^Query Cost limit of 100 exceeded, found \d+\.$/,
    over: { query: `{ ${dashboard('a')} ${dashboard('b')} }` },
    at: { query: `{ ${dashboard('a')} }` },
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
});
