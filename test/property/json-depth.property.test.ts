import fc from 'fast-check';
import { expect, it } from 'vitest';
import { nestedDeeperThan } from '../../src/security/json-depth.js';

/**
 * The depth scan reads JSON text without parsing it: for any JSON value
 * (strings full of brackets, quotes and backslashes included), it must agree
 * with the depth of the parsed value.
 */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

const trickyString = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', '\u2028'), maxLength: 12 });
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, trickyString, fc.integer(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
})).value;

it('agrees with the parsed depth, for any JSON value and limit', () => {
  fc.assert(
    fc.property(json, fc.integer({ min: 0, max: 8 }), (value, limit) => {
      expect(nestedDeeperThan(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
    }),
    { numRuns: 2000 },
  );
});
