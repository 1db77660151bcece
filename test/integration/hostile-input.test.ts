import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAST_MS, RefusalTimes, expectNormalRequestServed, totalCalls } from '../helpers/attacks.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest, type RawAnswer } from '../helpers/raw-http.js';

/**
 * Each attack of issues 4 and 16 against the gateway with its default limits: the
 * request is refused with a clear error, no upstream saw a call, the answer
 * came fast, and the next ordinary request is served.
 */

const times = new RefusalTimes();
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  times.print('hostile input: time to refuse (default limits)');
  await gateway.close();
});
beforeEach(() => gateway.demo.resetStats());

const repeat = (count: number, make: (index: number) => string) => Array.from({ length: count }, (_, index) => make(index)).join(' ');

async function postJson(body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const text = JSON.stringify(body);
  return rawRequest(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers },
    body: text,
  });
}

interface Refusal {
  readonly status: number;
  /** A clear message: what was refused and why. */
  readonly message: RegExp;
  readonly code?: string;
}

async function expectRefused(attack: string, send: () => Promise<RawAnswer>, refusal: Refusal): Promise<void> {
  const answer = await send();
  times.record(attack, answer.ms);
  expect(answer.status, answer.text).toBe(refusal.status);
  expect(answer.json?.data ?? null).toBeNull();
  const messages = (answer.json?.errors ?? []).map((error: { message: string }) => error.message);
  expect(messages.some((message: string) => refusal.message.test(message)), messages.join(' | ')).toBe(true);
  if (refusal.code) {
    expect(answer.json.errors.map((error: { extensions?: { code?: string } }) => error.extensions?.code)).toContain(refusal.code);
  }
  expect(totalCalls(gateway)).toBe(0);
  expect(answer.ms).toBeLessThan(FAST_MS);
  await expectNormalRequestServed(gateway);
}

const LIMIT = { status: 400, code: 'OPERATION_LIMIT_EXCEEDED' } as const;

describe('operation limits refuse before execution', () => {
  it('a deep query (introspection included)', async () => {
    let typeRef = 'name';
    for (let level = 0; level < 30; level++) typeRef = `ofType { ${typeRef} }`;
    await expectRefused('deep query (__type ... ofType x30)', () => postJson({ query: `{ __type(name: "User") { fields { type { ${typeRef} } } } }` }), {
      ...LIMIT,
      message: /^Introspection depth limit of 15 exceeded: "__type" nests more than 15 levels deep\.$/,
    });
  });

  it('cyclic introspection', async () => {
    let cycle = 'name';
    for (let level = 0; level < 10; level++) cycle = `fields { type { ${cycle} } }`;
    await expectRefused('cyclic introspection (__schema types fields type x10)', () => postJson({ query: `{ __schema { types { ${cycle} } } }` }), {
      ...LIMIT,
      message: /^Introspection depth limit of 15 exceeded/,
    });
  });

  it('1000 aliases', async () => {
    await expectRefused('1000 aliases', () => postJson({ query: `{ user(id: "1") { ${repeat(1000, (i) => `a${i}: name`)} } }` }), {
      ...LIMIT,
      message: /limit of \d+ exceeded/,
    });
  });

  it('1000 directives', async () => {
    await expectRefused('1000 directives', () => postJson({ query: `{ user(id: "1") { name ${repeat(1000, () => '@include(if: true)')} } }` }), {
      ...LIMIT,
      message: /limit of \d+ exceeded/,
    });
  });

  it('100k tokens', async () => {
    await expectRefused('100k tokens', () => postJson({ query: `{ user(id: "1") { ${'name '.repeat(100_000)} } }` }), {
      ...LIMIT,
      message: /^Token limit of 1000 exceeded\.$/,
    });
  });

  it('a 10,000-id list in a variable', async () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => String(index + 1));
    await expectRefused('10,000-id list (variable)', () => postJson({ query: 'query ($ids: [ID!]!) { users(ids: $ids) { name } }', variables: { ids } }), {
      ...LIMIT,
      message: /^List limit of 100 exceeded: \$ids has 10000 items\.$/,
    });
  });

  it('a 10,000-id list written in the document', async () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => `"${index + 1}"`).join(',');
    await expectRefused('10,000-id list (literal)', () => postJson({ query: `{ users(ids: [${ids}]) { name } }` }), {
      ...LIMIT,
      message: /^Token limit of 1000 exceeded\.$/,
    });
  });

  it('a fragment cycle', async () => {
    const query = '{ user(id: "1") { ...A } } fragment A on User { name ...B } fragment B on User { email ...A }';
    await expectRefused('fragment cycle', () => postJson({ query }), { status: 200, message: /^Cannot spread fragment "A" within itself via "B"\.$/ });
  });
});

describe('HTTP-level abuse', () => {
  it('a 1000-operation batch', async () => {
    const batch = Array.from({ length: 1000 }, () => ({ query: '{ user(id: "1") { name } }' }));
    await expectRefused('1000-operation batch', () => postJson(batch), { status: 400, message: /^Batching is not supported\.$/ });
  });

  it('a body that is not JSON is refused without echoing it', async () => {
    const body = '{"query": "{ user(id: \\"1\\") { name } }", "token": "ECHO-ME-NOT" oops';
    const send = () =>
      rawRequest(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        body,
      });
    await expectRefused('body that is not JSON', send, { status: 400, message: /^POST body sent invalid JSON\.$/, code: 'BAD_REQUEST' });
    const answer = await send();
    expect(answer.text).not.toContain('ECHO-ME-NOT');
    expect(answer.json.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('a 5 MB body', async () => {
    const body = { query: '{ user(id: "1") { name } }', variables: { padding: 'x'.repeat(5_000_000) } };
    await expectRefused('5 MB body (Content-Length)', () => postJson(body), { status: 413, message: /^Request body too large$/ });
  });

  it('a body over the limit that never ends is refused without waiting for the rest', async () => {
    // Chunked, no Content-Length: the gateway must count bytes as they come and answer once past 1 MB.
    const started = performance.now();
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const target = new URL(gateway.url);
      const request = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      request.write(`{"query":"{ user(id: \\"1\\") { name } }","variables":{"padding":"${'x'.repeat(1_200_000)}`);
      // ...and never end(): a gateway that buffered the whole body would wait forever.
      setTimeout(() => request.destroy(), FAST_MS * 2).unref();
    });
    const ms = performance.now() - started;
    times.record('1.2 MB chunked body that never ends', ms);
    expect(answer.status).toBe(413);
    expect(ms).toBeLessThan(FAST_MS);
    expect(totalCalls(gateway)).toBe(0);
    await expectNormalRequestServed(gateway);
  });
});

describe('bodies costly to parse (issue 16)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('JSON nested deeper than 32 levels, in a JSON body or a form field', async () => {
    const refusal = { status: 400, message: /^JSON nested deeper than 32 levels\.$/, code: 'BAD_REQUEST' };
    const json = `{"query":"{ user(id: \\"1\\") { name } }","variables":{"v":${nested(33)}}}`;
    await expectRefused('nested JSON body', () => rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }), refusal);
    const form = `query=${encodeURIComponent('{ user(id: "1") { name } }')}&variables=${encodeURIComponent(`{"v":${nested(33)}}`)}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-yoga-csrf': '1' };
    gateway.demo.resetStats();
    await expectRefused('nested JSON in a form', () => rawRequest(gateway.url, { method: 'POST', headers, body: form }), refusal);
    // 32 levels, and brackets inside strings, are fine.
    const fine = `{"query":"{ user(id: \\"1\\") { name } }","variables":{"v":${nested(30)},"s":"${'['.repeat(100)}"}}`;
    const answer = await rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fine });
    expect(answer.json.data.user.name).toEqual(expect.any(String));
  });

  it('a multipart POST, even past CSRF prevention: there are no uploads, so no multipart parsing', async () => {
    const boundary = 'xyz';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ user(id: \\"1\\") { name } }"}\r\n--${boundary}--\r\n`;
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-graphql-yoga-csrf': '1' };
    const answer = await rawRequest(gateway.url, { method: 'POST', headers, body });
    expect(answer.status).toBe(415);
    expect(totalCalls(gateway)).toBe(0);
  });
});

describe('Accept headers (issue 16)', () => {
  const body = JSON.stringify({ query: '{ user(id: "1") { name } }' });
  const post = (accept: string) => rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
  // 14 KB naming 1,000 formats the gateway does not produce: Yoga ran the query, then answered 406 with a 521 KB header.
  const unknownFormats = Array.from({ length: 1000 }, (_, index) => `x-${index}/y`).join(',');

  it('an Accept naming no format the gateway produces is refused before execution, and not echoed', async () => {
    await expectRefused('Accept of 1,000 unknown formats', () => post(unknownFormats.slice(0, 900)), { status: 406, message: /^Accept names no format/, code: 'NOT_ACCEPTABLE' });
    const answer = await post('text/html, image/png;q=0.5');
    expect(answer.status).toBe(406);
    expect(answer.headers['accept']).toBe(
      'application/graphql-response+json; charset=utf-8, application/json; charset=utf-8, multipart/mixed; charset=utf-8, text/event-stream; charset=utf-8',
    );
  });

  it('an oversized Accept is refused before execution, whatever it names', async () => {
    await expectRefused('14 KB Accept', () => post(`application/json,${unknownFormats}`), { status: 400, message: /^Accept header over 1024 bytes\.$/, code: 'BAD_REQUEST' });
    const answer = await post(unknownFormats);
    expect(Object.values(answer.headers).join('').length).toBeLessThan(1000);
  });

  it('what clients send is served: none, */*, JSON with q-values, GraphiQL\'s list', async () => {
    for (const accept of [undefined, '*/*', 'application/json;q=0.9, */*;q=0.1', 'application/graphql-response+json, application/json, multipart/mixed']) {
      const answer = await rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body });
      expect(answer.status, accept).toBe(200);
      expect(answer.json.data.user.name).toEqual(expect.any(String));
    }
  });
});

describe('CSRF-shaped requests', () => {
  const query = encodeURIComponent('{ user(id: "1") { name } }');

  it('a GET without a preflight-forcing header', async () => {
    await expectRefused('CSRF: GET without header', () => rawRequest(`${gateway.url}?query=${query}`), { status: 403, message: /CSRF/ });
  });

  it('a text/plain POST', async () => {
    const body = JSON.stringify({ query: '{ user(id: "1") { name } }' });
    await expectRefused('CSRF: text/plain POST', () => rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }), {
      status: 403,
      message: /CSRF/,
    });
  });

  it('a form POST', async () => {
    await expectRefused(
      'CSRF: form POST',
      () => rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${query}` }),
      { status: 403, message: /CSRF/ },
    );
  });

  it('a multipart POST', async () => {
    const boundary = 'xyz';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ user(id: \\"1\\") { name } }"}\r\n--${boundary}--\r\n`;
    await expectRefused(
      'CSRF: multipart POST',
      () => rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body }),
      { status: 403, message: /CSRF/ },
    );
  });

  it('a GET with the header is served, but only for queries', async () => {
    const allowed = await rawRequest(`${gateway.url}?query=${query}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(allowed.status).toBe(200);
    expect(allowed.json.data.user.name).toEqual(expect.any(String));
    gateway.demo.resetStats();
    const mutation = encodeURIComponent('mutation { user(id: "1") { name } }');
    await expectRefused('GET with a mutation', () => rawRequest(`${gateway.url}?query=${mutation}`, { headers: { 'x-graphql-yoga-csrf': '1' } }), {
      status: 405,
      message: /mutation operation from a POST request/,
    });
  });

  it('GraphiQL is still served to a browser', async () => {
    const page = await rawRequest(gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('cross-origin callers get no credentials unless CORS_ORIGINS lists them', async () => {
    const preflight = (url: string, origin: string) =>
      rawRequest(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const open = await preflight(gateway.url, 'https://evil.example');
    expect(open.headers['access-control-allow-origin']).toBe('https://evil.example');
    expect(open.headers['access-control-allow-credentials']).toBeUndefined();

    const listed = await startGateway({ env: { CORS_ORIGINS: 'https://app.example, https://admin.example' } });
    try {
      const app = await preflight(listed.url, 'https://app.example');
      expect(app.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(app.headers['access-control-allow-credentials']).toBe('true');
      const evil = await preflight(listed.url, 'https://evil.example');
      expect(evil.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    } finally {
      await listed.close();
    }
  });
});

describe('hostile ids', () => {
  const hostile = ['../admin', '..', '.', 'a/b', '1,2', 'a?b=c', 'a#b', '%2e%2e', 'a\\b', 'a b', 'a\u0000b', 'a\nb', 'x'.repeat(129), ''];

  it.each(hostile.map((id) => [JSON.stringify(id), id]))('user(id: %s) is refused as client input', async (_label, id) => {
    const answer = await gateway.query('query ($id: ID!) { user(id: $id) { name } }', { id });
    times.record(`hostile id ${JSON.stringify(id).slice(0, 20)}`, answer.ms);
    expect(answer.body.data?.user ?? null).toBeNull();
    expect(answer.body.errors[0].message).toMatch(/^Argument "id": the id /);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(totalCalls(gateway)).toBe(0);
    expect(answer.ms).toBeLessThan(FAST_MS);
  });

  it('one hostile id in a list refuses the whole list', async () => {
    const answer = await gateway.query('query ($ids: [ID!]!) { users(ids: $ids) { name } }', { ids: ['1', '2', '../3'] });
    expect(answer.body.errors[0].message).toMatch(/^Argument "ids": the id /);
    expect(totalCalls(gateway)).toBe(0);
    await expectNormalRequestServed(gateway);
  });
});
