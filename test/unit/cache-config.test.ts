import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

describe('cache configuration', () => {
  it('defaults: memory store of 64 MiB, 50 ms store deadline, no shared secret, every service cached', () => {
    const config = loadConfig({});
    expect(config.cache).toEqual({ store: 'memory', maxBytes: 67_108_864, storeTimeoutMs: 50, scopeSecret: undefined });
    for (const name of SERVICE_NAMES) expect(config.services[name].cache).toBe(true);
    expect(config.demo.knobs.products.cacheControl).toBeUndefined();
  });

  it('reads a Redis URL, the bounds, the secret and a service switched off', () => {
    const secret = 's'.repeat(32);
    const config = loadConfig({
      CACHE_STORE: 'rediss://:pw@cache.internal:6380/2',
      CACHE_MAX_BYTES: '1048576',
      CACHE_STORE_TIMEOUT_MS: '20',
      CACHE_SCOPE_SECRET: secret,
      ORDERS_CACHE: 'false',
      DEMO_PRODUCTS_CACHE_CONTROL: 'none',
      DEMO_USERS_CACHE_CONTROL: 'max-age=5',
    });
    expect(config.cache.store).toBeInstanceOf(URL);
    expect((config.cache.store as URL).host).toBe('cache.internal:6380');
    expect(config.cache).toMatchObject({ maxBytes: 1_048_576, storeTimeoutMs: 20, scopeSecret: secret });
    expect(config.services.orders.cache).toBe(false);
    expect(config.services.users.cache).toBe(true);
    expect(config.demo.knobs.products.cacheControl).toBeNull();
    expect(config.demo.knobs.users.cacheControl).toBe('max-age=5');
  });

  it.each([
    [{ CACHE_STORE: 'memcached://cache:11211' }, /^CACHE_STORE: expected "memory" or a redis:\/\/ or rediss:\/\/ URL$/],
    [{ CACHE_STORE: 'disk' }, /^CACHE_STORE: /],
    // ioredis would send SELECT NaN and crash the process with an unhandled rejection once Redis answered.
    [{ CACHE_STORE: 'redis://cache.internal:6379/notanumber' }, /^CACHE_STORE: the database \(the URL's path\) must be a whole number/],
    [{ CACHE_STORE: 'redis://cache.internal:6379/2/x' }, /^CACHE_STORE: the database/],
    [{ CACHE_MAX_BYTES: '100' }, /^CACHE_MAX_BYTES: expected a whole number >= 1024/],
    [{ CACHE_STORE_TIMEOUT_MS: '0' }, /^CACHE_STORE_TIMEOUT_MS: /],
    [{ CACHE_SCOPE_SECRET: 'short' }, /^CACHE_SCOPE_SECRET: expected at least 32 characters, got 5$/],
    [{ INVENTORY_CACHE: 'maybe' }, /^INVENTORY_CACHE: expected "true" or "false"/],
    [{ DEMO_USERS_CACHE_CONTROL: 'max-age=5\u0007' }, /^DEMO_USERS_CACHE_CONTROL: /],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a store URL or the secret', () => {
    for (const env of [{ CACHE_STORE: 'redis-ish://user:hunter2@cache' }, { CACHE_SCOPE_SECRET: 'hunter2' }]) {
      expect(() => loadConfig(env)).toThrow();
      try {
        loadConfig(env);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});
