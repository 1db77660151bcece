import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/index.js';
import { operationCost } from '../../src/security/operation-cost.js';

const schema = gatewaySchema();
const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), variables);
const TEN = Array.from({ length: 10 }, (_, index) => `p${index + 1}`);

describe('operationCost prices fields as execution merges them', () => {
  const inline = cost('query ($i: [ID!]!) { products(ids: $i) { name reviews { rating } } }', { i: TEN })!;

  it('a list of 10 products, each with its name and 10 assumed reviews of one value', () => {
    expect(inline).toBe(10 * (1 + 1 + 10 * 2));
  });

  it('the same answer written with shared fragments costs the same', () => {
    const fragments = `query ($i: [ID!]!) { products(ids: $i) { ...A ...B } }
      fragment A on Product { ...Base } fragment B on Product { ...Base } fragment Base on Product { name reviews { rating } }`;
    expect(cost(fragments, { i: TEN })).toBe(inline);
  });

  it('a field written twice is one value; its selections merge', () => {
    const twice = cost('query ($i: [ID!]!) { products(ids: $i) { name name reviews { rating } reviews { rating comment } } }', { i: TEN });
    expect(twice).toBe(10 * (1 + 1 + 10 * 3));
  });

  it('an alias is a value of its own', () => {
    expect(cost('{ product(id: "p1") { name title: name } }')).toBe(3);
  });

  it('fragments that spread a fragment twice, 30 deep, cost what the answer holds', () => {
    const chain = Array.from({ length: 30 }, (_, level) => `fragment F${level} on Product { ...F${level + 1} ...F${level + 1} }`).join('\n');
    expect(cost(`{ product(id: "p1") { ...F0 } } ${chain} fragment F30 on Product { id name price }`)).toBe(4);
  });

  it('a selection that really doubles at every level is priced high, and quickly', () => {
    const twice = (next: string) => ['a', 'b'].map((alias) => `${alias}: orders { product { reviews { author { ...${next} } } } }`).join(' ');
    const levels = Array.from({ length: 30 }, (_, level) => `fragment F${level} on User { name ${twice(`F${level + 1}`)} }`);
    const query = `{ user(id: "1") { ...F0 } } ${levels.join('\n')} fragment F30 on User { id }`;
    const started = process.cpuUsage();
    const price = cost(query);
    const used = process.cpuUsage(started);
    expect(price).toBeGreaterThan(1e30);
    expect((used.user + used.system) / 1000).toBeLessThan(200);
  });
});

describe('operationCost past its cap on fields visited', () => {
  it('is Infinity even when the field that passes the cap is a list given no ids (Infinity x 0 is NaN, which no limit refuses)', () => {
    const huge = `fragment Huge on Product { ${'id '.repeat(100_001)}}`;
    const query = `query ($i: [ID!]!) { a: products(ids: $i) { name reviews { rating } } b: products(ids: []) { ...Huge } } ${huge}`;
    expect(cost(query, { i: TEN })).toBe(Infinity);
  });
});

describe('operationCost of a list variable left to its default', () => {
  it('a single default value is one item, as execution coerces it, not none', () => {
    const query = 'query ($i: [ID!] = "p1") { products(ids: $i) { name } }';
    expect(validate(schema, parse(query))).toEqual([]);
    expect(cost(query)).toBe(cost('{ products(ids: ["p1"]) { name } }'));
    expect(cost(query)).toBe(2);
  });
});

describe('operationCost of deferred fragments', () => {
  it('each @defer, spread or inline, is a part of the answer of its own: priced once per occurrence, never merged', () => {
    const one = cost('{ product(id: "p1") { id ... @defer { name reviews { rating } } } }');
    expect(one).toBe(1 + 1 + (1 + 10 * 2));
    expect(cost('{ product(id: "p1") { id ... @defer { name reviews { rating } } ... @defer { name reviews { rating } } } }')).toBe(one! + 21);
    expect(cost('{ product(id: "p1") { id ...F @defer ...F @defer ...F } } fragment F on Product { name reviews { rating } }')).toBe(one! + 21 + 21);
  });
});
