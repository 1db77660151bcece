import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** Each security variable: its default, and one clear line naming it on a bad value. */

describe('defaults', () => {
  it('are the documented ones', () => {
    const config = loadConfig({});
    expect(config.security).toEqual({
      maxDepth: 6,
      maxIntrospectionDepth: 15,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 1000,
      maxCost: 20_000,
      maxCostInFlight: 100_000,
      admissionWaitMs: 1000,
      maxRootFields: 10,
      maxRequestBytes: 1_000_000,
      corsOrigins: undefined,
      trustedDocuments: undefined,
      allowArbitraryOperations: true,
    });
    expect(config.maxIdsPerList).toBe(100);
    expect(config.services.users.forwardHeaders).toEqual([]);
  });
});

describe('values', () => {
  it('are read from the environment', () => {
    const config = loadConfig({
      MAX_DEPTH: '8',
      MAX_REQUEST_BYTES: '2048',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/',
      USERS_FORWARD_HEADERS: 'Authorization, accept-language,authorization',
    });
    expect(config.security.maxDepth).toBe(8);
    expect(config.security.maxRequestBytes).toBe(2048);
    expect(config.security.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.services.users.forwardHeaders).toEqual(['authorization', 'accept-language']);
    expect(config.services.orders.forwardHeaders).toEqual([]);
  });

  it('loads a trusted-documents manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const path = join(dir, 'persisted-documents.json');
    writeFileSync(path, JSON.stringify({ abc: '{ user(id: "1") { name } }' }));
    const config = loadConfig({ PERSISTED_OPERATIONS: path, ALLOW_ARBITRARY_OPERATIONS: 'false' });
    expect([...(config.security.trustedDocuments?.keys() ?? [])]).toEqual(['abc']);
    expect(config.security.allowArbitraryOperations).toBe(false);
  });
});

describe('bad values stop start-up with one line naming the variable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    [{ MAX_DEPTH: '0' }, /^MAX_DEPTH: expected a whole number >= 1, got "0"$/],
    [{ MAX_ALIASES: 'many' }, /^MAX_ALIASES: /],
    [{ MAX_DIRECTIVES: '-1' }, /^MAX_DIRECTIVES: /],
    [{ MAX_TOKENS: '1.5' }, /^MAX_TOKENS: /],
    [{ MAX_COST: '' + 2 ** 60 }, /^MAX_COST: /],
    [{ MAX_COST_IN_FLIGHT: '0' }, /^MAX_COST_IN_FLIGHT: expected a whole number >= 1, got "0"$/],
    [{ ADMISSION_WAIT_MS: '61000' }, /^ADMISSION_WAIT_MS: /],
    [{ MAX_ROOT_FIELDS: '0' }, /^MAX_ROOT_FIELDS: /],
    [{ MAX_INTROSPECTION_DEPTH: 'x' }, /^MAX_INTROSPECTION_DEPTH: /],
    [{ MAX_REQUEST_BYTES: '10' }, /^MAX_REQUEST_BYTES: expected a whole number >= 1024/],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, /^CORS_ORIGINS: expected "\*" or a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'ftp://files.example.com' }, /^CORS_ORIGINS: /],
    [{ USERS_FORWARD_HEADERS: 'authorization, host' }, /^USERS_FORWARD_HEADERS: "host" is never forwarded/],
    [{ ORDERS_FORWARD_HEADERS: 'transfer-encoding' }, /^ORDERS_FORWARD_HEADERS: "transfer-encoding" is never forwarded/],
    [{ INVENTORY_FORWARD_HEADERS: 'connection' }, /^INVENTORY_FORWARD_HEADERS: "connection" is never forwarded/],
    [{ PRODUCTS_FORWARD_HEADERS: 'x tenant' }, /^PRODUCTS_FORWARD_HEADERS: "x tenant" is not a header name$/],
    [{ ALLOW_ARBITRARY_OPERATIONS: 'false' }, /^ALLOW_ARBITRARY_OPERATIONS: "false" needs PERSISTED_OPERATIONS/],
    [{ ALLOW_ARBITRARY_OPERATIONS: 'no' }, /^ALLOW_ARBITRARY_OPERATIONS: expected "true" or "false"/],
    [{ PERSISTED_OPERATIONS: join(dir, 'missing.json') }, /^PERSISTED_OPERATIONS: .*missing\.json: cannot read the manifest \(ENOENT\)$/],
    [{ PERSISTED_OPERATIONS: file('bad.json', '{') }, /^PERSISTED_OPERATIONS: .*: the manifest is not valid JSON$/],
    [{ PERSISTED_OPERATIONS: file('list.json', '["{ a }"]') }, /^PERSISTED_OPERATIONS: .*: the manifest must be a JSON object of hash -> document$/],
    [{ PERSISTED_OPERATIONS: file('num.json', '{"h": 1}') }, /^PERSISTED_OPERATIONS: .*: entry "h" is not a hash with a document string$/],
    [{ PERSISTED_OPERATIONS: file('syntax.json', '{"h": "{ user("}') }, /^PERSISTED_OPERATIONS: .*: the document of "h" does not parse: Syntax Error/],
  ])('%j', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
