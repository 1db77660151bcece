import { Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_CACHED_DOCUMENT_CHARS } from './document-cache.js';
import { operationRefused } from './refusal.js';

/**
 * Refuses a document of more than `maxTokens` lexical tokens before it is
 * parsed: the lexer stops at the first token over, so a 100k-token document
 * costs what a 1000-token one does (graphql-armor's max-tokens idea). It runs
 * on the request's parameters rather than inside the parser because Yoga
 * reports any parse error as a GraphQL-over-HTTP spec error (HTTP 200 to an
 * `application/json` client), and a refusal should read as one.
 */
export function useTokenLimit(maxTokens: number): Plugin {
  // Clients send the same few documents over and over: remember the ones that passed, as Yoga's parse cache does.
  const passed = new Set<string>();
  return {
    onParams({ params }) {
      if (typeof params.query !== 'string' || passed.has(params.query)) return;
      const tokens = countTokens(params.query, maxTokens + 1);
      if (tokens > maxTokens) throw operationRefused('tokens', `Token limit of ${maxTokens} exceeded.`);
      // Only small documents: a cached 1 MB body (a syntax error, a huge comment) would stay in memory 1000 times over.
      if (params.query.length > MAX_CACHED_DOCUMENT_CHARS) return;
      if (passed.size >= 1000) passed.clear();
      passed.add(params.query);
    },
  };
}

/** Tokens in `query`, counting no further than `stopAt`; a syntax error ends the count (the parser reports it). */
export function countTokens(query: string, stopAt: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count < stopAt && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // Not ours to report: the parser will, with its position.
  }
  return count;
}
