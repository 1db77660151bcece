import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNormalRequestServed, totalCalls } from '../helpers/attacks.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * Trusted documents: the manifest is what GraphQL Code Generator's client
 * preset emits with `persistedDocuments` (hash -> document). Clients send the
 * hash as `documentId` or as Apollo's `extensions.persistedQuery`.
 */

const MANIFEST = fileURLToPath(new URL('../fixtures/persisted-documents.json', import.meta.url));
const documents: Record<string, string> = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const USER_NAME = Object.keys(documents).find((hash) => documents[hash]!.startsWith('query UserName'))!;

function send(gateway: TestGateway, body: Record<string, unknown>) {
  const text = JSON.stringify(body);
  return rawRequest(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
    body: text,
  });
}

it('the fixture is a manifest of sha256 hashes, as the client preset writes it', () => {
  for (const [hash, document] of Object.entries(documents)) {
    expect(`sha256:${createHash('sha256').update(document).digest('hex')}`).toBe(hash);
  }
});

describe('with ALLOW_ARBITRARY_OPERATIONS=false', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ env: { PERSISTED_OPERATIONS: MANIFEST, ALLOW_ARBITRARY_OPERATIONS: 'false' } });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.demo.resetStats());

  it('runs a document by its id, sent as documentId', async () => {
    const answer = await send(gateway, { documentId: USER_NAME, variables: { id: '1' } });
    expect(answer.status).toBe(200);
    expect(answer.json.data.user).toEqual({ id: '1', name: expect.any(String) });
  });

  it('runs a document by its bare sha256 too, as other clients send it', async () => {
    const answer = await send(gateway, { documentId: USER_NAME.slice('sha256:'.length), variables: { id: '4' } });
    expect(answer.json.data.user.id).toBe('4');
  });

  it('runs a document by its id, sent as extensions.persistedQuery (and by GET)', async () => {
    // Apollo Client sends the bare hex; the manifest's key is `sha256:<hex>`.
    const extensions = { persistedQuery: { version: 1, sha256Hash: USER_NAME.slice('sha256:'.length) } };
    const posted = await send(gateway, { extensions, variables: { id: '2' } });
    expect(posted.json.data.user.id).toBe('2');
    const search = new URLSearchParams({ extensions: JSON.stringify(extensions), variables: JSON.stringify({ id: '3' }) });
    const got = await rawRequest(`${gateway.url}?${search}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(got.json.data.user.id).toBe('3');
  });

  it.each([
    ['any other document', { query: '{ user(id: "1") { name email } }' }, 'PERSISTED_QUERY_ONLY'],
    ['a document in the manifest, sent as text', { query: documents[USER_NAME], variables: { id: '1' } }, 'PERSISTED_QUERY_ONLY'],
    ['an unknown id', { documentId: 'f'.repeat(64), variables: { id: '1' } }, 'PERSISTED_QUERY_NOT_FOUND'],
    ['an id that is an Object.prototype key', { documentId: '__proto__' }, 'PERSISTED_QUERY_NOT_FOUND'],
    ['no document and no id', { variables: { id: '1' } }, 'PERSISTED_QUERY_ID_REQUIRED'],
  ])('refuses %s before any upstream call', async (_label, body, code) => {
    const answer = await send(gateway, body);
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].extensions.code).toBe(code);
    expect(answer.json.data).toBeUndefined();
    expect(totalCalls(gateway)).toBe(0);
  });
});

describe('with arbitrary operations allowed (the default)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ env: { PERSISTED_OPERATIONS: MANIFEST } });
  });
  afterAll(() => gateway.close());

  it('runs both trusted documents by id and ordinary documents', async () => {
    const trusted = await send(gateway, { documentId: USER_NAME, variables: { id: '1' } });
    expect(trusted.json.data.user.id).toBe('1');
    await expectNormalRequestServed(gateway);
  });
});

describe('with a manifest keyed by bare hex (other manifest tools)', () => {
  let gateway: TestGateway;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const bare = Object.fromEntries(Object.entries(documents).map(([hash, text]) => [hash.slice('sha256:'.length), text]));
    writeFileSync(join(dir, 'bare.json'), JSON.stringify(bare));
    gateway = await startGateway({ env: { PERSISTED_OPERATIONS: join(dir, 'bare.json'), ALLOW_ARBITRARY_OPERATIONS: 'false' } });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a document by its sha256: id too', async () => {
    const answer = await send(gateway, { documentId: USER_NAME, variables: { id: '5' } });
    expect(answer.json.data.user.id).toBe('5');
  });
});
