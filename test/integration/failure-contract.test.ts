import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_ERROR_CODES, type UpstreamErrorEntry } from '../../src/errors/contract.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { closedPortUrl, sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/**
 * The exported types of src/errors/contract.ts are what client code compiles
 * against. Each failure the gateway classifies is produced here for real, on
 * loopback upstreams, and every entry it emits must fit those types: a code
 * from UPSTREAM_ERROR_CODES and only the documented fields.
 */
const ENTRY_FIELDS: ReadonlyArray<keyof UpstreamErrorEntry> = ['service', 'code', 'message', 'paths', 'attempts', 'httpStatus'];

describe('every code the gateway emits is in the exported union', () => {
  let gw: TestGateway;
  const upstreams: TestUpstream[] = [];

  beforeAll(async () => {
    const notJson = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"this is": not json');
    });
    const wrongShape = await startUpstream((_request, response) => sendJson(response, 200, [{ productId: 'p1', available: 'many' }]));
    upstreams.push(notJson, wrongShape);
    gw = await startGateway({
      env: { ORDERS_TIMEOUT_MS: '300', ORDERS_RETRIES: '0', USERS_RETRIES: '0', PRODUCTS_RETRIES: '0' },
      urls: { users: await closedPortUrl(), notifications: notJson.url, inventory: wrongShape.url },
      demo: { knobs: { orders: { hang: true }, products: { failStatus: 503 } } },
    });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  const cases = [
    { code: 'TIMEOUT', how: 'orders hangs', query: '{ dashboard(userId: "1") { orders { id } } }' },
    { code: 'UNREACHABLE', how: 'users is a closed port', query: '{ user(id: "1") { name } }' },
    { code: 'BAD_RESPONSE', how: 'notifications sends invalid JSON', query: '{ dashboard(userId: "1") { notifications { id } } }' },
    { code: 'HTTP_ERROR', how: 'products answers 503', query: '{ product(id: "p1") { name } }' },
  ] as const;
  const emitted: UpstreamErrorEntry[] = [];

  it.each(cases)('$code when $how', async ({ code, query }) => {
    const { body } = await gw.query(query);
    const entries = body.extensions.errors as UpstreamErrorEntry[];
    expect(entries.map((entry) => entry.code)).toEqual([code]);
    emitted.push(...entries);
  });

  it('BAD_RESPONSE when a body is JSON but not the documented shape', async () => {
    gw.demo.knobs.products.failStatus = null;
    try {
      const { body } = await gw.query('{ product(id: "p1") { stock { available } } }');
      expect(body.extensions.errors).toEqual([expect.objectContaining({ service: 'inventory', code: 'BAD_RESPONSE' })]);
      emitted.push(...body.extensions.errors);
    } finally {
      gw.demo.knobs.products.failStatus = 503;
    }
  });

  it('each emitted entry fits UpstreamErrorEntry', () => {
    expect(emitted.length).toBe(cases.length + 1);
    for (const entry of emitted) {
      expect(UPSTREAM_ERROR_CODES).toContain(entry.code);
      for (const field of Object.keys(entry)) expect(ENTRY_FIELDS).toContain(field);
      expect(typeof entry.message).toBe('string');
      expect(entry.paths.length).toBeGreaterThan(0);
      expect(entry.attempts).toBeGreaterThanOrEqual(1);
      expect(entry.code === 'HTTP_ERROR').toBe(typeof entry.httpStatus === 'number');
    }
  });

  it('no code literal in the failure and upstream modules is missing from the union', () => {
    // Catches a code added by a future module (a circuit breaker, a new classifier) before a client meets it.
    const literals = ['src/errors', 'src/upstream'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) => [...readFileSync(path.join(dir, file), 'utf8').matchAll(/\bcode: '([A-Z][A-Z_]+)'/g)].map((match) => match[1])),
    );
    expect(literals.length).toBeGreaterThan(0);
    for (const code of literals) expect(UPSTREAM_ERROR_CODES).toContain(code);
  });
});
