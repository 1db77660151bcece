import { describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';

/** "Did you mean ...?" would rebuild a hidden schema one typo at a time: hidden when introspection is off. */

const TYPOS = [
  ['a field', '{ user(id: "1") { nam } }', /^Cannot query field "nam" on type "User"\.$/],
  ['an argument', '{ user(idd: "1") { name } }', /^Unknown argument "idd" on field "Query\.user"\.$/],
  ['a type', 'query ($id: Strin!) { user(id: $id) { name } }', /^Unknown type "Strin"\.$/],
] as const;

describe('with INTROSPECTION=false', () => {
  it.each(TYPOS)('no suggestion for %s, and no introspection', async (_what, query, message) => {
    const gateway = await startGateway({ env: { INTROSPECTION: 'false' } });
    try {
      const answer = await gateway.query(query);
      expect(answer.body.errors.map((error: { message: string }) => error.message)).toContainEqual(expect.stringMatching(message));
      expect(JSON.stringify(answer.body)).not.toMatch(/Did you mean/);
      const introspection = await gateway.query('{ __schema { types { name } } }');
      expect(introspection.body.data).toBeUndefined();
      expect(introspection.body.errors[0].message).toMatch(/introspection/i);
    } finally {
      await gateway.close();
    }
  });
});

describe('with introspection on', () => {
  it('suggestions stay (the schema is public anyway)', async () => {
    const gateway = await startGateway();
    try {
      const answer = await gateway.query(TYPOS[0][1]);
      expect(answer.body.errors[0].message).toMatch(/Did you mean "name"\?/);
    } finally {
      await gateway.close();
    }
  });
});
