import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { preferredEncoding } from '../../src/graphiql/delivery.js';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY, PLACE_ORDER_QUERY, STALE_QUERY } from '../../src/graphiql/tabs.js';
import { getPage, graphiqlTabsAt, pageOptionsOf, type PageAnswer } from '../helpers/graphiql-page.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

describe('GraphiQL page delivery', () => {
  let gw: TestGateway;
  let identity: PageAnswer;
  let assets: string[];
  beforeAll(async () => {
    gw = await startGateway();
    identity = await getPage(gw.url, {});
    const html = identity.body.toString();
    const linked = [...html.matchAll(/(?:href|src)="([^"]+\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    assets = [...linked, ...Object.values(pageOptionsOf(html).workers)].map((asset) => new URL(asset, gw.url).href);
  });
  afterAll(() => gw.close());

  it('serves a page of a few kB whose stylesheet, script and workers all come from the gateway (nothing from a CDN)', () => {
    expect(identity.status).toBe(200);
    expect(identity.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(identity.headers['content-length'])).toBe(identity.body.length);
    expect(identity.body.length).toBeLessThan(10_000);
    const html = identity.body.toString();
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
    expect(assets.slice(0, 2).map((asset) => new URL(asset).pathname)).toEqual([
      expect.stringMatching(/^\/graphql\/assets\/graphiql-\w+\.css$/),
      expect.stringMatching(/^\/graphql\/assets\/graphiql-\w+\.js$/),
    ]);
    expect(pageOptionsOf(html).workers).toEqual({
      editor: expect.stringMatching(/^\/graphql\/assets\/editor\.worker-\w+\.js$/),
      json: expect.stringMatching(/^\/graphql\/assets\/json\.worker-\w+\.js$/),
      graphql: expect.stringMatching(/^\/graphql\/assets\/graphql\.worker-\w+\.js$/),
    });
  });

  it('serves every asset the page names, as JavaScript or CSS, cacheable for good (its name changes with its content)', async () => {
    for (const asset of assets) {
      const answer = await getPage(asset);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.body.length).toBeGreaterThan(10_000);
    }
    expect((await getPage(new URL('/graphql/assets/graphiql-NOPE.js', gw.url).href)).status).toBe(404);
  });

  it.each([
    ['br', (body: Buffer) => zlib.brotliDecompressSync(body)],
    ['gzip', (body: Buffer) => zlib.gunzipSync(body)],
  ] as const)('sends the page and its script %s-compressed to a browser that accepts it, a fraction of the size', async (encoding, decode) => {
    const acceptEncoding = encoding === 'br' ? 'gzip, deflate, br, zstd' : 'gzip, deflate';
    const script = assets.find((asset) => asset.endsWith('.js'))!;
    const sizes: Record<string, { sent: number; raw: number }> = {};
    for (const url of [gw.url, script]) {
      const raw = await getPage(url);
      const sent = await getPage(url, { 'accept-encoding': acceptEncoding });
      expect(sent.status).toBe(200);
      expect(sent.headers['content-encoding']).toBe(encoding);
      expect(sent.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(sent.headers['content-length'])).toBe(sent.body.length);
      expect(sent.body.length).toBeLessThan(raw.body.length / 2);
      expect(decode(sent.body).equals(raw.body)).toBe(true);
      sizes[url === gw.url ? 'page' : 'script'] = { sent: sent.body.length, raw: raw.body.length };
    }
    mkdirSync('test-output', { recursive: true });
    writeFileSync(`test-output/graphiql-bytes-${encoding}.json`, `${JSON.stringify({ encoding, ...sizes }, null, 2)}\n`);
  });

  it('is cacheable: a strong ETag per encoding; a repeat view with If-None-Match is a 304 with no body', async () => {
    for (const url of [gw.url, assets[0]!]) {
      const first = await getPage(url, { 'accept-encoding': 'br' });
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^"[\w.-]+-br"$/);
      expect((await getPage(url)).headers.etag).not.toBe(etag);

      const repeat = await getPage(url, { 'accept-encoding': 'br', 'if-none-match': etag });
      expect(repeat.status).toBe(304);
      expect(repeat.body.length).toBe(0);
      expect(repeat.headers.etag).toBe(etag);

      // Another encoding's tag does not match: the browser gets this encoding's bytes.
      const other = await getPage(url, { 'accept-encoding': 'gzip', 'if-none-match': etag });
      expect(other.status).toBe(200);
      expect(other.headers['content-encoding']).toBe('gzip');
    }
    expect((await getPage(gw.url)).headers['cache-control']).toMatch(/no-cache/);
  });

  it('asks for the upstream trace and shows the "Upstream calls" panel', () => {
    const options = pageOptionsOf(identity.body.toString());
    expect(options.headers).toEqual({ 'x-gateway-trace': '1' });
    expect(options.upstreamTrace).toBe(true);
  });

  it('leaves GraphQL responses alone', async () => {
    const answer = await gw.query('{ user(id: "1") { name } }', undefined, { 'accept-encoding': 'gzip' });
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.body.data.user.name).toBe('Grace Lovelace');
  });
});

describe('GraphiQL with the trace switched off', () => {
  it('neither asks for it nor shows the panel', async () => {
    const gw = await startGateway({ env: { UPSTREAM_TRACE: 'off' } });
    try {
      const options = pageOptionsOf((await getPage(gw.url)).body.toString());
      expect(options.headers).toEqual({});
      expect(options.upstreamTrace).toBe(false);
    } finally {
      await gw.close();
    }
  });
});

const ALL_TABS = [DEFAULT_QUERY, PARTIAL_FAILURE_QUERY, DEFER_QUERY, PLACE_ORDER_QUERY, STALE_QUERY];

/** Base URLs that are never called: the page alone is under test. */
const REAL = (...services: string[]) => Object.fromEntries(services.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, 'http://127.0.0.1:9/']));

describe('GraphiQL tabs fit the services behind the gateway', () => {
  it.each([
    ['every service from the demo upstreams: the dashboard, the partial failure, @defer, placeOrder and the stale answer', {}, ALL_TABS],
    ['every service real: only the dashboard', REAL(...SERVICE_NAMES), [DEFAULT_QUERY]],
    ['inventory real: no partial failure (it shows stock); @defer, placeOrder and the stale answer still', REAL('inventory'), [DEFAULT_QUERY, DEFER_QUERY, PLACE_ORDER_QUERY, STALE_QUERY]],
    ['notifications real: placeOrder and the stale answer only', REAL('notifications'), [DEFAULT_QUERY, PLACE_ORDER_QUERY, STALE_QUERY]],
    ['orders real: no tab places an order there', REAL('orders'), [DEFAULT_QUERY, STALE_QUERY]],
    ['products real: no stale-answer tab (its outage is the demo\'s)', REAL('products'), [DEFAULT_QUERY, DEFER_QUERY]],
    [
      'every URL set, all named in DEMO_SERVICES (a cluster worker, or `npm run upstreams`): the demo tabs',
      { ...REAL(...SERVICE_NAMES), DEMO_SERVICES: SERVICE_NAMES.join(',') },
      ALL_TABS,
    ],
  ])('%s', async (_name, env, tabs) => {
    const gw = await startGateway({ env });
    try {
      expect(await graphiqlTabsAt(gw.url)).toEqual(tabs);
    } finally {
      await gw.close();
    }
  });

  it("GRAPHIQL_DEFAULT_QUERY: the operator's own first tab, kept inside the page's data whatever it holds", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'graphiql-default-')), 'default.graphql');
    const query = '# Ours. </script><script>alert(1)</script> <!--\nquery Mine { user(id: "42") { name } }\n';
    writeFileSync(file, query);
    const gw = await startGateway({ env: { ...REAL(...SERVICE_NAMES), GRAPHIQL_DEFAULT_QUERY: file } });
    try {
      const html = (await getPage(gw.url)).body.toString();
      expect(pageOptionsOf(html).tabs).toEqual([query]);
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('<!--');
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
  it('serves no GraphiQL page and no asset', async () => {
    const off = await startGateway({ env: { GRAPHIQL: 'false' } });
    try {
      const response = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('graphiql');
      const assets = await fetch(new URL('/graphql/assets/manifest.json', off.url));
      expect(assets.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
