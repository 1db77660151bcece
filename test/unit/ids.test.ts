import { describe, expect, it } from 'vitest';
import { idProblem, listValue, pathSegment } from '../../src/upstream/ids.js';

describe('id rules', () => {
  it.each(['1', 'p42', 'sku-00_1', 'A.b', 'ü-ñ', '…', 'x'.repeat(128)])('accepts %j', (id) => {
    expect(idProblem(id)).toBeUndefined();
  });

  it.each(['', '.', '..', '../admin', 'a/b', 'a\\b', 'a?x=1', 'a#frag', '%2e%2e', '1,2', 'a;b', 'a b', 'tab\there', 'nl\n', 'nul\u0000', 'del\u007f', 'x'.repeat(129), '\ud800', 'nbsp\u00a0', 'ls\u2028', 'zw\u200b', 'rlo\u202e', 'bom\ufeff', 'ideo\u3000'])(
    'refuses %j',
    (id) => {
      expect(idProblem(id)).toEqual(expect.any(String));
      expect(() => pathSegment(id)).toThrow();
    },
  );

  it('encodes what it accepts as exactly one path segment', () => {
    expect(pathSegment('ü-ñ')).toBe('%C3%BC-%C3%B1');
  });

  it('keeps one key one list item: a comma can never split a key', () => {
    expect(listValue(['1', '2'])).toBe('1,2');
    expect(() => listValue(['1', '2,3'])).toThrow();
  });
});
