import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idProblem, listValue, pathSegment } from '../../src/upstream/ids.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/**
 * For any string a client sends as an id, the URL the gateway builds is the
 * service's base plus exactly one path segment (per-key endpoint) or one
 * list item (batch endpoint) that decodes back to that very string, or the
 * id is refused as client input before any upstream call.
 */

/** Strings biased toward what breaks URLs: separators, dots, escapes, controls, lone surrogates, non-ASCII. */
const URL_HOSTILE_CHARS = ['/', '\\', '.', '%', ',', ';', '?', '#', '&', '=', '+', ' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00a0', '\u2028', '\ud800', '\udfff', 'é', '𝒳', 'a', 'Z', '1', '2', 'e', 'F', '~', '@', ':', '[', ']', "'", '(', '*'];
const anyId = fc.oneof(
  fc.string({ unit: fc.constantFrom(...URL_HOSTILE_CHARS), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 }),
  fc.string({ maxLength: 140 }),
  fc.constantFrom('.', '..', '%2e%2e', '%2F', '..%2f', 'a/../b', '\u002e\u002e', '．．'),
);

const BASE = new URL('http://upstream.internal:8080/api/v1/');

/** got joins `prefixUrl` and the route path as text, then parses: the same as this. */
const built = (path: string, searchParams?: Record<string, string>) => {
  const url = new URL(`${BASE.href}${path}`);
  for (const [name, value] of Object.entries(searchParams ?? {})) url.searchParams.set(name, value);
  return url;
};

describe('ids.ts: the URL builder', () => {
  it('a per-key URL is the base plus exactly one segment that decodes to the id, or the id is refused', () => {
    fc.assert(
      fc.property(anyId, (id) => {
        if (idProblem(id) !== undefined) {
          expect(() => pathSegment(id)).toThrow(TypeError);
          return;
        }
        const url = built(`users/${pathSegment(id)}/orders`);
        expect(url.origin).toBe(BASE.origin);
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        expect(url.pathname.startsWith(`${BASE.pathname}users/`)).toBe(true);
        const segments = url.pathname.slice(BASE.pathname.length).split('/');
        expect(segments).toHaveLength(3);
        expect(segments[0]).toBe('users');
        expect(segments[2]).toBe('orders');
        expect(decodeURIComponent(segments[1]!)).toBe(id);
      }),
      { numRuns: 3000 },
    );
  });

  it('a batch URL carries exactly one list whose items are the ids, or an id is refused', () => {
    fc.assert(
      fc.property(fc.array(anyId, { minLength: 1, maxLength: 8 }), (ids) => {
        if (ids.some((id) => idProblem(id) !== undefined)) {
          expect(() => listValue(ids)).toThrow(TypeError);
          return;
        }
        const url = built('orders', { userIds: listValue(ids) });
        expect(url.pathname).toBe(`${BASE.pathname}orders`);
        expect([...url.searchParams.keys()]).toEqual(['userIds']);
        expect(url.searchParams.get('userIds')!.split(',')).toEqual(ids);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('through the gateway: the keyed loader, got and a real upstream', () => {
  let upstream: TestUpstream;
  let perKey: TestGateway;
  let batched: TestGateway;

  beforeAll(async () => {
    // Unknown users everywhere: per-key answers 404 (null), batch answers [].
    upstream = await startUpstream((request, response) => sendJson(response, request.url?.includes('?') ? 200 : 404, request.url?.includes('?') ? [] : { error: 'no' }));
    const users = new URL('/api/v1/', upstream.url);
    perKey = await startGateway({ env: { USERS_BATCH: 'false' }, urls: { users } });
    batched = await startGateway({ urls: { users } });
  });
  afterAll(async () => {
    await Promise.all([perKey.close(), batched.close(), upstream.close()]);
  });

  it('user(id): one call to base + users/<one segment>, or a BAD_USER_INPUT and no call', async () => {
    await fc.assert(
      fc.asyncProperty(anyId, async (id) => {
        upstream.hits.length = 0;
        const answer = await perKey.query('query ($id: ID!) { user(id: $id) { name } }', { id });
        expect(answer.status).toBe(200);
        if (idProblem(id) !== undefined) {
          expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
          expect(upstream.hits).toEqual([]);
          return;
        }
        expect(answer.body).toEqual({ data: { user: null } });
        expect(upstream.hits).toHaveLength(1);
        const path = upstream.hits[0]!;
        expect(path.startsWith('/api/v1/users/')).toBe(true);
        const segment = path.slice('/api/v1/users/'.length);
        expect(segment).not.toMatch(/[/?#]/);
        expect(decodeURIComponent(segment)).toBe(id);
      }),
      { numRuns: 150 },
    );
  });

  it('users(ids): one call to base + users?ids=<the distinct ids>, or a BAD_USER_INPUT and no call', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyId, { minLength: 1, maxLength: 5 }), async (ids) => {
        upstream.hits.length = 0;
        const answer = await batched.query('query ($ids: [ID!]!) { users(ids: $ids) { name } }', { ids });
        if (ids.some((id) => idProblem(id) !== undefined)) {
          expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
          expect(upstream.hits).toEqual([]);
          return;
        }
        expect(answer.body).toEqual({ data: { users: ids.map(() => null) } });
        expect(upstream.hits).toHaveLength(1);
        const url = new URL(upstream.hits[0]!, 'http://upstream');
        expect(url.pathname).toBe('/api/v1/users');
        expect([...url.searchParams.keys()]).toEqual(['ids']);
        expect(url.searchParams.get('ids')!.split(',')).toEqual([...new Set(ids)]);
      }),
      { numRuns: 150 },
    );
  });
});
