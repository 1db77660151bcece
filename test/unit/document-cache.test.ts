import { parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { boundedParseCache, MAX_CACHED_DOCUMENT_CHARS } from '../../src/security/document-cache.js';

/** The parse cache Yoga is given: ordinary documents are remembered, large ones never, and the total is bounded. */
describe('boundedParseCache', () => {
  it('remembers an ordinary document', () => {
    const { documentCache } = boundedParseCache();
    const text = '{ user(id: "1") { name } }';
    documentCache!.set(text, parse(text));
    expect(documentCache!.get(text)).toBeDefined();
  });

  it('never keeps a document longer than MAX_CACHED_DOCUMENT_CHARS, however short its parse (a long comment)', () => {
    const { documentCache, errorCache } = boundedParseCache();
    const text = `{ __typename } #${'x'.repeat(MAX_CACHED_DOCUMENT_CHARS)}`;
    documentCache!.set(text, parse(text));
    errorCache!.set(text, new Error('syntax'));
    expect(documentCache!.get(text)).toBeUndefined();
    expect(errorCache!.get(text)).toBeUndefined();
  });

  it('evicts the least recently used once the estimated memory is spent', () => {
    // 100 bytes per character: room for two 5,000-character documents, not three.
    const { documentCache } = boundedParseCache(1_000_000);
    const texts = ['a', 'b', 'c'].map((name) => `{ ${name}: __typename } #${'x'.repeat(4_980)}`);
    for (const text of texts) documentCache!.set(text, {} as DocumentNode);
    expect(texts.map((text) => documentCache!.get(text) !== undefined)).toEqual([false, true, true]);
  });
});
