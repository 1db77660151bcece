import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDemoData } from '../../src/demo/data.js';
import { DemoWrites, IDEMPOTENCY_KEY_TTL_MS } from '../../src/demo/writes.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { idempotencyKeyHash, idempotencyKeyProblem } from '../../src/writes/idempotency-key.js';
import { readRefusal } from '../../src/writes/refusal.js';

describe('<SERVICE>_IDEMPOTENCY_HEADER', () => {
  it('defaults to Idempotency-Key for every service; set empty, the service takes no key', () => {
    const config = loadConfig({ ORDERS_IDEMPOTENCY_HEADER: '' });
    expect(config.services.orders.idempotencyHeader).toBeUndefined();
    for (const name of SERVICE_NAMES.filter((name) => name !== 'orders')) expect(config.services[name].idempotencyHeader).toBe('Idempotency-Key');
    expect(loadConfig({ ORDERS_IDEMPOTENCY_HEADER: '  X-Order-Key ' }).services.orders.idempotencyHeader).toBe('X-Order-Key');
  });

  it.each([
    [{ ORDERS_IDEMPOTENCY_HEADER: 'Idempotency Key' }, /^ORDERS_IDEMPOTENCY_HEADER: "Idempotency Key" is not a header name$/],
    [{ ORDERS_IDEMPOTENCY_HEADER: 'Content-Length' }, /^ORDERS_IDEMPOTENCY_HEADER: "content-length" is a header the gateway sets itself/],
    [{ ORDERS_IDEMPOTENCY_HEADER: 'x-key', ORDERS_FORWARD_HEADERS: 'authorization,X-Key' }, /^ORDERS_IDEMPOTENCY_HEADER: "x-key" is also in the forwarded client headers/],
    [{ DEMO_ORDERS_WRITE_FAIL_STATUS: '200' }, /^DEMO_ORDERS_WRITE_FAIL_STATUS: expected 0 \(off\) or a status from 400 to 599/],
    [{ DEMO_NOTIFICATIONS_WRITE_HANG: 'yes' }, /^DEMO_NOTIFICATIONS_WRITE_HANG: expected "true" or "false"/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the demo write knobs only for services that have writes', () => {
    const { knobs } = loadConfig({ DEMO_ORDERS_WRITE_HANG: 'true', DEMO_ORDERS_WRITE_FAIL_STATUS: '503', DEMO_USERS_WRITE_HANG: 'true' }).demo;
    expect(knobs.orders).toMatchObject({ writeHang: true, writeFailStatus: 503 });
    expect(knobs.users).toMatchObject({ writeHang: false, writeFailStatus: null });
  });
});

describe('an upstream refusal of a write', () => {
  it.each([
    [409, { error: 'key reused' }, true, { code: 'IDEMPOTENCY_KEY_REUSED', message: 'key reused' }],
    [409, undefined, false, { code: 'CONFLICT', message: 'orders refused the input (HTTP 409)' }],
    [422, { error: 'quantity too large', field: 'quantity' }, true, { code: 'INVALID_INPUT', message: 'quantity too large', field: 'quantity' }],
    [400, { error: 'bad input' }, true, { code: 'INVALID_INPUT', message: 'bad input' }],
    [404, { error: 'no such user', field: 'userId' }, true, { code: 'NOT_FOUND', message: 'no such user', field: 'userId' }],
    [403, { error: 'not your account' }, true, { code: 'REFUSED', message: 'not your account' }],
  ])('%i %j is a userErrors entry', (status, body, keyed, refusal) => {
    expect(readRefusal('orders', status, body, keyed)).toEqual(refusal);
  });

  it('quotes the service only in one short plain line, and names only plain field names', () => {
    const words = (error: unknown, field?: unknown) => readRefusal('orders', 422, { error, field }, true);
    expect(words('x'.repeat(201))?.message).toBe('orders refused the input (HTTP 422)');
    expect(words('line one\nat Object.<anonymous> (/srv/app.js:1:1)')?.message).toBe('orders refused the input (HTTP 422)');
    expect(words('<html><body>Unprocessable</body></html>')?.message).toBe('orders refused the input (HTTP 422)');
    expect(words('see http://orders.internal:8080/docs')?.message).toBe('orders refused the input (HTTP 422)');
    expect(words({ nested: 'object' })?.message).toBe('orders refused the input (HTTP 422)');
    expect(words('bad', 'quantity; drop table')).toEqual({ code: 'INVALID_INPUT', message: 'bad' });
    expect(words('bad', ['quantity'])).toEqual({ code: 'INVALID_INPUT', message: 'bad' });
  });

  it('is a failure, not a refusal, when it is retryable (408, 429) or a 4xx with no reason', () => {
    expect(readRefusal('orders', 429, { error: 'slow down' }, true)).toBeUndefined();
    expect(readRefusal('orders', 408, { error: 'timeout' }, true)).toBeUndefined();
    expect(readRefusal('orders', 404, undefined, true)).toBeUndefined();
    expect(readRefusal('orders', 405, { message: 'not allowed' }, true)).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  it('are 1 to 255 printable ASCII characters', () => {
    expect(idempotencyKeyProblem('a')).toBeUndefined();
    expect(idempotencyKeyProblem(' ~'.repeat(127) + 'x')).toBeUndefined();
    expect(idempotencyKeyProblem('')).toBe('is empty');
    expect(idempotencyKeyProblem('x'.repeat(256))).toBe('is longer than 255 characters');
    for (const key of ['tab\there', 'ümlaut', 'nul\0', 'del\x7f']) expect(idempotencyKeyProblem(key)).toMatch(/not printable ASCII/);
  });

  it('are shown only as a hash: stable, and not the key', () => {
    expect(idempotencyKeyHash('k-1')).toBe(idempotencyKeyHash('k-1'));
    expect(idempotencyKeyHash('k-1')).not.toBe(idempotencyKeyHash('k-2'));
    expect(idempotencyKeyHash('k-1')).not.toContain('k-1');
  });
});

describe('the demo orders service', () => {
  const place = (writes: DemoWrites, key: string | undefined, quantity = 1) =>
    writes.answer('placeOrder', { body: { userId: '1', productId: 'p1', quantity }, ...(key ? { idempotencyKey: key } : {}) });

  it('remembers a key for 24 hours: within them the same order, after them a new one', () => {
    let now = Date.UTC(2026, 0, 1);
    const writes = new DemoWrites(createDemoData(), () => now);
    const first = place(writes, 'k');
    expect(first.status).toBe(201);
    now += IDEMPOTENCY_KEY_TTL_MS - 1;
    expect(place(writes, 'k')).toEqual({ status: 200, body: first.body });
    expect(place(writes, 'k', 2)).toEqual({ status: 409, body: { error: 'this idempotency key was used with another request' } });
    now += 1;
    const later = place(writes, 'k');
    expect(later.status).toBe(201);
    expect(later.body).not.toEqual(first.body);
    expect(writes.placedOrders).toHaveLength(2);
  });

  it('places an order per request when no key is sent, and refuses bad input with 422 naming the field', () => {
    const writes = new DemoWrites(createDemoData());
    place(writes, undefined);
    place(writes, undefined);
    expect(writes.placedOrders).toHaveLength(2);
    expect(new Set(writes.placedOrders.map((order) => order.id)).size).toBe(2);
    expect(place(writes, undefined, 0)).toEqual({ status: 422, body: { error: 'quantity must be a whole number from 1 to 100', field: 'quantity' } });
    expect(writes.answer('placeOrder', { body: { userId: 'nobody', productId: 'p1', quantity: 1 } })).toMatchObject({ status: 422, body: { field: 'userId' } });
    expect(writes.placedOrders).toHaveLength(2);
  });
});
