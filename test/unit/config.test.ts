import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.graphiql).toBe(true);
    expect(config.introspection).toBe(true);
    expect(config.federation).toBe(false);
    for (const name of SERVICE_NAMES) {
      expect(config.services[name]).toMatchObject({
        name,
        baseUrl: undefined,
        timeoutMs: 2000,
        retries: 2,
        batch: true,
        maxBatchSize: 100,
        maxConcurrency: 64,
        maxQueue: 256,
        connectTimeoutMs: 1000,
        maxResponseBytes: 10 * 1024 * 1024,
        retryBudget: { percent: 20, minPerSecond: 3 },
        breaker: { consecutiveFailures: 5, failurePercent: 50, minCalls: 20, windowMs: 10_000, cooldownMs: 5000, maxCooldownMs: 60_000 },
      });
    }
    expect(config.requestTimeoutMs).toBe(8000);
  });

  it('switches a breaker off', () => {
    expect(loadConfig({ USERS_BREAKER: 'false' }).services.users.breaker).toBeUndefined();
  });

  it('still refuses a bad breaker threshold when that breaker is off', () => {
    expect(() => loadConfig({ ORDERS_BREAKER: 'false', ORDERS_BREAKER_FAILURES: 'abc' })).toThrow(/^ORDERS_BREAKER_FAILURES: /);
  });

  it('reads every per-service variable', () => {
    const config = loadConfig({
      ORDERS_SERVICE_URL: 'http://orders.internal:8080/api',
      ORDERS_TIMEOUT_MS: '750',
      ORDERS_RETRIES: '0',
      ORDERS_BATCH: 'false',
      ORDERS_MAX_BATCH_SIZE: '10',
      ORDERS_MAX_CONCURRENCY: '3',
      GRAPHIQL: 'false',
      INTROSPECTION: 'FALSE',
      PORT: '8080',
    });
    expect(config.services.orders).toMatchObject({ timeoutMs: 750, retries: 0, batch: false, maxBatchSize: 10, maxConcurrency: 3 });
    expect(config.services.orders.baseUrl?.href).toBe('http://orders.internal:8080/api/');
    expect(config.services.users.timeoutMs).toBe(2000);
    expect([config.port, config.graphiql, config.introspection]).toEqual([8080, false, false]);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.services.users)).toBe(true);
  });

  it.each([
    ['PORT', 'abc', /^PORT: expected a whole number from 0 to 65535, got "abc"$/],
    ['PORT', '70000', /^PORT: /],
    ['USERS_TIMEOUT_MS', '-5', /^USERS_TIMEOUT_MS: expected a whole number from 1 to 2147483647, got "-5"$/],
    ['ORDERS_RETRIES', '1.5', /^ORDERS_RETRIES: /],
    ['INVENTORY_BATCH', 'yes', /^INVENTORY_BATCH: expected "true" or "false", got "yes"$/],
    ['PRODUCTS_MAX_BATCH_SIZE', '0', /^PRODUCTS_MAX_BATCH_SIZE: /],
    ['NOTIFICATIONS_MAX_CONCURRENCY', '-1', /^NOTIFICATIONS_MAX_CONCURRENCY: /],
    ['USERS_SERVICE_URL', 'not a url', /^USERS_SERVICE_URL: not an absolute URL$/],
    ['USERS_SERVICE_URL', 'ftp://files.internal/', /^USERS_SERVICE_URL: expected an http/],
    ['GRAPHIQL', 'maybe', /^GRAPHIQL: /],
    ['FEDERATION', 'yes', /^FEDERATION: expected "true" or "false", got "yes"$/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: /],
    // Node timers cannot wait longer: a larger value would fire after 1 ms and time every call out at once.
    ['REQUEST_TIMEOUT_MS', '2200000000', /^REQUEST_TIMEOUT_MS: expected a whole number from 1 to 2147483647, got "2200000000"$/],
    ['USERS_TIMEOUT_MS', '2147483648', /^USERS_TIMEOUT_MS: /],
    ['UPSTREAM_IDLE_TIMEOUT_MS', '99999999999', /^UPSTREAM_IDLE_TIMEOUT_MS: /],
    ['ORDERS_BREAKER_MAX_COOLDOWN_MS', '3000000000', /^ORDERS_BREAKER_MAX_COOLDOWN_MS: /],
    // Set but empty (a template that resolved to nothing) must not mean "serve demo data".
    ['USERS_SERVICE_URL', '', /^USERS_SERVICE_URL: set but empty; unset it to use the built-in demo upstream$/],
    ['ORDERS_SERVICE_URL', '   ', /^ORDERS_SERVICE_URL: set but empty/],
  ])('refuses %s=%s with one line naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('serves /subgraph with FEDERATION=true, which a manifest-only gateway refuses (a router writes its own operations)', () => {
    expect(loadConfig({ FEDERATION: 'true' }).federation).toBe(true);
    const manifest = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ abc: '{ user(id: "1") { name } }' }));
    const env = { FEDERATION: 'true', PERSISTED_OPERATIONS: manifest, ALLOW_ARBITRARY_OPERATIONS: 'false' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^FEDERATION: "true" needs ALLOW_ARBITRARY_OPERATIONS=true \(a router sends operations that no manifest lists\)$/);
  });

  it('refuses credentials in a service URL together with forwarding authorization to it, without echoing them', () => {
    const env = { USERS_SERVICE_URL: 'http://svc:s3cret@users.internal/', USERS_FORWARD_HEADERS: 'authorization,accept-language' };
    expect(() => loadConfig(env)).toThrow(/^USERS_SERVICE_URL: carries credentials, which would replace the authorization header USERS_FORWARD_HEADERS forwards/);
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
    expect(loadConfig({ USERS_SERVICE_URL: 'http://svc:s3cret@users.internal/' }).services.users.baseUrl?.username).toBe('svc');
  });

  it('never echoes a URL, which may carry credentials', () => {
    expect(() => loadConfig({ USERS_SERVICE_URL: 'gopher://admin:s3cret@users.internal/' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });
});

/** The real entry point, run to its end. */
function runMain(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15_000 });
}

describe('start-up with a bad value', () => {
  it('exits non-zero with one line that names the variable', () => {
    const run = runMain({ ORDERS_TIMEOUT_MS: '-1', PORT: '0' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ORDERS_TIMEOUT_MS/);
  });

  it('a port already in use: exit 1 with one line naming PORT, no stack', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const run = runMain({ PORT: String(port), LOG_LEVEL: 'silent' });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([`configuration error: PORT: ${port} is already in use`]);
    } finally {
      taken.close();
    }
  });

  it('so is METRICS_PORT', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const run = runMain({ PORT: '0', METRICS_PORT: String(port), LOG_LEVEL: 'silent' });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([`configuration error: METRICS_PORT: ${port} is already in use`]);
    } finally {
      taken.close();
    }
  });
});
