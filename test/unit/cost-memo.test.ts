import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/index.js';
import { memoOperationCost } from '../../src/security/cost-memo.js';
import { operationCost } from '../../src/security/operation-cost.js';

describe('memoOperationCost', () => {
  const schema = gatewaySchema();
  const document = parse('query Users($ids: [ID!]! = ["1", "2"], $note: String) { users(ids: $ids) { name orders { id } } }');

  it('prices one document afresh for every number of items its variables hold, and the same for the same numbers', () => {
    const asks: Array<Record<string, unknown>> = [
      { ids: ['1', '2', '3', '4'] },
      { ids: ['1', '2', '3'] },
      { ids: ['9', '8', '7', '6'], note: 'other values, same shape' },
      {},
      { ids: '5' },
      { ids: [] },
      { ids: ['1', '2', '3'], unknown: ['a', 'b'] },
    ];
    for (const variables of asks) {
      expect(memoOperationCost(schema, document, variables, 'Users')).toBe(operationCost(schema, document, variables, 'Users'));
    }
    expect(new Set(asks.map((variables) => memoOperationCost(schema, document, variables, 'Users'))).size).toBe(5);
  });

  it('answers undefined for an operation the document does not have', () => {
    expect(memoOperationCost(schema, document, {}, 'Other')).toBeUndefined();
  });
});
