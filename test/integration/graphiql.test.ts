import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY, STALE_QUERY } from '../../src/graphiql.js';
import { preferredEncoding } from '../../src/graphiql-delivery.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The bytes on the wire, before any decoding. */
  readonly body: Buffer;
}

/** A browser's page view, with node:http so that the compressed bytes can be counted as sent. */
function getPage(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/html,application/xhtml+xml', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe('GraphiQL page delivery', () => {
  let gw: TestGateway;
  let identity: RawAnswer;
  beforeAll(async () => {
    gw = await startGateway();
    identity = await getPage(gw.url, {});
  });
  afterAll(() => gw.close());

  it('serves the offline page (scripts inline, nothing from a CDN) uncompressed to a client that accepts no encoding', () => {
    expect(identity.status).toBe(200);
    expect(identity.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(Number(identity.headers['content-length'])).toBe(identity.body.length);
    expect(identity.body.length).toBeGreaterThan(5_000_000);
    expect(identity.body.toString()).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(identity.body.toString()).not.toMatch(/<link[^>]+href=["']https?:/);
  });

  it.each([
    ['br', (body: Buffer) => zlib.brotliDecompressSync(body)],
    ['gzip', (body: Buffer) => zlib.gunzipSync(body)],
  ] as const)('sends it %s-compressed to a browser that accepts it, a fraction of the size', { timeout: 30_000 }, async (encoding, decode) => {
    const page = await getPage(gw.url, { 'accept-encoding': encoding === 'br' ? 'gzip, deflate, br, zstd' : 'gzip, deflate' });

    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe(encoding);
    expect(page.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(page.headers['content-length'])).toBe(page.body.length);
    expect(page.body.length).toBeLessThan(identity.body.length / 3);
    expect(decode(page.body).equals(identity.body)).toBe(true);

    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/graphiql-bytes-${encoding}.json`, `${JSON.stringify({ encoding, sent: page.body.length, raw: identity.body.length }, null, 2)}\n`);
  });

  it('is cacheable: a strong ETag per encoding and Cache-Control; a repeat view with If-None-Match is a 304 with no body', async () => {
    const first = await getPage(gw.url, { 'accept-encoding': 'br' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[\w-]+-br"$/);
    expect(identity.headers.etag).not.toBe(etag);
    expect(first.headers['cache-control']).toMatch(/no-cache/);

    const repeat = await getPage(gw.url, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(repeat.status).toBe(304);
    expect(repeat.body.length).toBe(0);
    expect(repeat.headers.etag).toBe(etag);

    // Another encoding's tag does not match: the browser gets this encoding's bytes.
    const other = await getPage(gw.url, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });

  it('opens on the example tabs, and asks for the upstream trace', () => {
    const page = identity.body.toString();
    for (const query of [DEFAULT_QUERY, PARTIAL_FAILURE_QUERY, DEFER_QUERY, STALE_QUERY]) expect(page).toContain(JSON.stringify(query).slice(1, -1));
    expect(page).toContain('"additionalHeaders":{"x-gateway-trace":"1"}');
  });

  it('leaves GraphQL responses alone', async () => {
    const answer = await gw.query('{ user(id: "1") { name } }', undefined, { 'accept-encoding': 'gzip' });
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.body.data.user.name).toBe('Grace Lovelace');
  });
});

describe('GraphiQL with the trace switched off', () => {
  it('does not ask for it', async () => {
    const gw = await startGateway({ env: { UPSTREAM_TRACE: 'off' } });
    try {
      const page = await getPage(gw.url, {});
      expect(page.body.toString()).not.toContain('x-gateway-trace');
    } finally {
      await gw.close();
    }
  });
});

describe("GraphiQL's example tabs run against the default demo upstreams", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('the dashboard tab: complete, no failure', async () => {
    const { body } = await gw.query(DEFAULT_QUERY);
    expect(body.data.dashboard.user.name).toBe('Grace Lovelace');
    expect(body.extensions).toBeUndefined();
  });

  it('the partial-failure tab: notifications null with an HTTP_ERROR entry, the rest there', async () => {
    const { body } = await gw.query(PARTIAL_FAILURE_QUERY);
    expect(body.data.dashboard.user.name).toBe('Murphy Law');
    expect(body.data.dashboard.orders).toHaveLength(2);
    expect(body.data.dashboard.notifications).toBeNull();
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ service: 'notifications', code: 'HTTP_ERROR', httpStatus: 503, paths: [['dashboard', 'notifications']] }),
    ]);
  });

  it('the @defer tab: runs', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: DEFER_QUERY }),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('multipart/mixed');
    expect(text).toContain('"notifications":[');
  });

  it("the demo's failure stays with its one user: the seeded users' notifications all load", async () => {
    const ids = Array.from({ length: 100 }, (_, index) => String(index + 1));
    const { body } = await gw.query('query ($ids: [ID!]!) { users(ids: $ids) { notifications { id } } }', { ids });
    expect(body.extensions).toBeUndefined();
    expect(body.data.users.every((user: { notifications: unknown[] | null }) => Array.isArray(user.notifications))).toBe(true);
  });
});

describe("GraphiQL's stale-answer tab, against the demo upstreams with their cache headers", () => {
  it('first a fresh answer; a second later, the same data served stale while the products service fails', async () => {
    let now = Date.now();
    const gw = await startGateway({ cacheHeaders: true, cacheClock: () => now });
    try {
      const first = await gw.query(STALE_QUERY);
      expect(first.body).toEqual({ data: { product: { id: 'outage', name: expect.any(String), price: 19.9 } } });
      now += 1500;
      const { body } = await gw.query(STALE_QUERY);
      expect(body.data).toEqual(first.body.data);
      expect(body.extensions).toEqual({ stale: [{ service: 'products', code: 'HTTP_ERROR', paths: [['product']], ageSeconds: 1 }] });
    } finally {
      await gw.close();
    }
  });
});

describe('preferredEncoding', () => {
  it('prefers br, then gzip, honours q-values and *, and falls back to identity', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0, identity')).toBe('identity');
    expect(preferredEncoding('deflate')).toBe('identity');
    expect(preferredEncoding(null)).toBe('identity');
  });
});

describe('GRAPHIQL=false', () => {
  it('serves no GraphiQL page', async () => {
    const off = await startGateway({ env: { GRAPHIQL: 'false' } });
    try {
      const response = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('graphiql');
    } finally {
      await off.close();
    }
  });
});
