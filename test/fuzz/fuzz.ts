import http from 'node:http';
import fc from 'fast-check';

/**
 * A fuzzer for the gateway's HTTP endpoint: random bytes, random strings and
 * mutated valid documents as the query, the variables and the whole body,
 * over POST and GET. Every request must get an HTTP answer, within a
 * deadline, and never a 5xx: a 5xx from the gateway itself is a bug (an
 * upstream failure is a 200 with `extensions.errors`). Deterministic for a
 * given seed, so a failure can be replayed.
 */

export interface FuzzRequest {
  readonly kind: string;
  readonly method: 'GET' | 'POST';
  /** Path and query string. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export interface FuzzFailure {
  readonly request: FuzzRequest;
  readonly problem: string;
}

export interface FuzzReport {
  readonly sent: number;
  readonly byStatus: Record<number, number>;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
}

const VALID_DOCUMENTS = [
  '{ user(id: "1") { id name email orders { id total product { name price stock { available } } } notifications { id read } } }',
  'query Dashboard($userId: ID! = "1") { dashboard(userId: $userId) { user { name } orders { id status createdAt } notifications { message } } }',
  'query ($ids: [ID!]!) { products(ids: $ids) { id name sales { revenue } } users(ids: $ids) { id } }',
  '{ product(id: "p1") { ...P } } fragment P on Product { id name stock { warehouse } }',
  '{ __schema { types { name fields { name type { name ofType { name } } } } } }',
  '{ a: user(id: "1") { name @include(if: true) } b: user(id: "2") { name @skip(if: false) } __typename }',
];

const GRAPHQL_PIECES = ['{', '}', '(', ')', '[', ']', '...', '@include(if: true)', '@skip(if: $x)', ':', '$', '"', '"""', '#', '\\u0000', 'query', 'fragment F on User', 'on', '__schema', '__type', 'user(id: "1")', 'users(ids: [', 'ids', '1e999', '-0', 'null', '\n', '\u2028', '\ud800', ','];

/** A valid document with a few characters or GraphQL pieces deleted, inserted, duplicated or moved. */
const mutatedDocument = fc
  .tuple(
    fc.constantFrom(...VALID_DOCUMENTS),
    fc.array(fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate', 'swap'), fc.nat(), fc.nat(), fc.oneof(fc.constantFrom(...GRAPHQL_PIECES), fc.string({ maxLength: 3 }))), { minLength: 1, maxLength: 6 }),
  )
  .map(([document, mutations]) => {
    let text = document;
    for (const [operation, at, span, piece] of mutations) {
      const start = at % (text.length + 1);
      const end = Math.min(text.length, start + (span % 12));
      if (operation === 'delete') text = text.slice(0, start) + text.slice(end);
      else if (operation === 'insert') text = text.slice(0, start) + piece + text.slice(start);
      else if (operation === 'duplicate') text = text.slice(0, end) + text.slice(start, end) + text.slice(end);
      else text = text.slice(start, end) + text.slice(0, start) + text.slice(end);
    }
    return text;
  });

const randomString = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...GRAPHQL_PIECES), maxLength: 60 }));
const anyQuery = fc.oneof(mutatedDocument, randomString, fc.constantFrom(...VALID_DOCUMENTS));
const anyJson = fc.jsonValue({ maxDepth: 4 });
const anyVariables = fc.oneof(anyJson, fc.dictionary(fc.constantFrom('id', 'ids', 'userId', 'x', '__proto__', 'constructor'), anyJson));
const anyParams = fc.record(
  {
    query: fc.oneof(anyQuery, anyJson),
    variables: anyVariables,
    operationName: fc.oneof(fc.constantFrom('Dashboard', 'P', ''), anyJson),
    extensions: fc.oneof(anyJson, fc.constant({ persistedQuery: { version: 1, sha256Hash: 'abc' } })),
  },
  { requiredKeys: [] },
);
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/graphql+json', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', ''];
const ACCEPTS = ['*/*', 'application/json', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed', 'text/html', 'image/png'];
const CSRF = { 'x-graphql-yoga-csrf': '1' };

const post = (kind: string, body: Buffer, contentType = 'application/json', accept = '*/*'): FuzzRequest => ({
  kind,
  method: 'POST',
  path: '/graphql',
  headers: { ...CSRF, ...(contentType ? { 'content-type': contentType } : {}), accept },
  body,
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => post('random bytes as body', Buffer.from(bytes))),
  randomString.map((text) => post('random string as body', Buffer.from(text))),
  anyQuery.map((query) => post('query', json({ query }))),
  fc.tuple(fc.constantFrom(...VALID_DOCUMENTS), anyVariables).map(([query, variables]) => post('variables', json({ query, variables }))),
  anyParams.map((params) => post('params', json(params))),
  anyJson.map((value) => post('JSON body', json(value))),
  fc.tuple(anyParams, fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...ACCEPTS)).map(([params, type, accept]) => post('content type', json(params), type, accept)),
  fc.tuple(anyQuery, fc.oneof(randomString, anyJson.map((v) => JSON.stringify(v)))).map(([query, variables]) => ({
    kind: 'GET',
    method: 'GET' as const,
    path: `/graphql?${new URLSearchParams({ query, variables: String(variables) })}`,
    headers: { ...CSRF, accept: 'application/json' },
  })),
  randomString.map((text) => ({ kind: 'GET raw query string', method: 'GET' as const, path: `/graphql?${encodeURI(text.replace(/[\ud800-\udfff]/g, ''))}`, headers: CSRF })),
);

/** Sends every request (a few at a time) and reports what came back. */
export async function runFuzz(url: string, requests: readonly FuzzRequest[], { concurrency = 8, deadlineMs = 5000 } = {}): Promise<FuzzReport> {
  const byStatus: Record<number, number> = {};
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const started = performance.now();
      const outcome = await send(url, request, deadlineMs);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (typeof outcome === 'string') failures.push({ request, problem: outcome });
      else {
        byStatus[outcome] = (byStatus[outcome] ?? 0) + 1;
        if (outcome >= 500) failures.push({ request, problem: `HTTP ${outcome}` });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: requests.length, byStatus, failures, slowestMs };
}

/** The status, or why there was none. */
function send(url: string, request: FuzzRequest, deadlineMs: number): Promise<number | string> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const outgoing = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.path, headers: request.headers, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', (error) => resolve(`response error: ${error.message}`));
      },
    );
    outgoing.setTimeout(deadlineMs, () => {
      outgoing.destroy();
      resolve(`no answer within ${deadlineMs} ms`);
    });
    outgoing.on('error', (error) => resolve(`request error: ${error.message}`));
    outgoing.end(request.body);
  });
}

export function describeFailure({ request, problem }: FuzzFailure): string {
  const body = request.body ? ` body=${JSON.stringify(request.body.toString('utf8').slice(0, 300))}` : '';
  return `${problem}: [${request.kind}] ${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(request.headers)}${body}`;
}
