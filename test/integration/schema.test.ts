import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../src/schema/print.js';
import { startGateway } from '../helpers/gateway.js';

describe('the schema contract', () => {
  it('holds the contract types to the letter', () => {
    const sdl = readFileSync(SCHEMA_FILE, 'utf8');
    for (const line of [
      'user(id: ID!): User',
      'users(ids: [ID!]!): [User]!',
      'dashboard(userId: ID!): Dashboard!',
      'product(id: ID!): Product',
      'products(ids: [ID!]!): [Product]!',
      'orders: [Order!]',
      'notifications: [Notification!]',
      'createdAt: String!',
      'stock: Stock',
      'sales: Sales',
      'warehouse: String\n',
    ]) {
      expect(sdl).toContain(line);
    }
  });

  it('answers introspection only when INTROSPECTION is true', async () => {
    const closed = await startGateway({ env: { INTROSPECTION: 'false' } });
    try {
      const { body } = await closed.query(`{ __schema { types { name } } }`);
      expect(body.data).toBeUndefined();
      expect(body.errors[0].message).toMatch(/introspection/i);
      expect((await closed.query(`{ user(id: "1") { id } }`)).body.data.user.id).toBe('1');
    } finally {
      await closed.close();
    }
  });
});
