import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { placeOrderThrough } from '../helpers/place-order-run.js';
import * as fault from '../helpers/write-faults.js';
import { PLACE_ORDER, WRITE_FAULTS, startOrdersUpstream, type OrdersUpstream } from '../helpers/write-faults.js';

/**
 * placeOrder under every fault of the catalogue, against a real orders
 * service (the demo's store, idempotency keys included) on loopback: however
 * the service misbehaves, one key never costs more than one order, the
 * answer comes within the deadline, and it says what happened. With a key the
 * write is retried like a read; to a service without an idempotency header,
 * only when no byte of it was sent.
 */
const TIMEOUT_MS = 2000;
const UNKNOWN = /the outcome is unknown: repeat placeOrder with the same idempotencyKey to learn it$/;
const UNKNOWN_KEYLESS = /the outcome is unknown, and orders takes no idempotency key: check before repeating placeOrder$/;

interface Expected {
  /** `ok` or the extensions.errors code. */
  readonly code: string;
  readonly httpStatus?: number;
  readonly attempts: number;
  readonly orders: number;
  /** The failure's message says the outcome is unknown. */
  readonly unknown?: boolean;
}

const EXPECTED: Record<string, { readonly keyed: Expected; readonly keyless: Expected }> = {
  'hang (order placed, no answer)': { keyed: { code: 'TIMEOUT', attempts: 1, orders: 1, unknown: true }, keyless: { code: 'TIMEOUT', attempts: 1, orders: 1, unknown: true } },
  'reset before the request is read': {
    keyed: { code: 'UNREACHABLE', attempts: 3, orders: 0, unknown: true },
    // The request's bytes were on the wire when the reset came: the gateway cannot know the service did not act.
    keyless: { code: 'UNREACHABLE', attempts: 1, orders: 0, unknown: true },
  },
  'reset after the request is read (order placed)': {
    keyed: { code: 'UNREACHABLE', attempts: 3, orders: 1, unknown: true },
    keyless: { code: 'UNREACHABLE', attempts: 1, orders: 1, unknown: true },
  },
  '502': { keyed: { code: 'HTTP_ERROR', httpStatus: 502, attempts: 3, orders: 0, unknown: true }, keyless: { code: 'HTTP_ERROR', httpStatus: 502, attempts: 1, orders: 0, unknown: true } },
  '503': { keyed: { code: 'HTTP_ERROR', httpStatus: 503, attempts: 3, orders: 0, unknown: true }, keyless: { code: 'HTTP_ERROR', httpStatus: 503, attempts: 1, orders: 0, unknown: true } },
  '504': { keyed: { code: 'HTTP_ERROR', httpStatus: 504, attempts: 3, orders: 0, unknown: true }, keyless: { code: 'HTTP_ERROR', httpStatus: 504, attempts: 1, orders: 0, unknown: true } },
  // Waits the second the service asks for; the next wait would not fit in the deadline.
  '429 with Retry-After: 1': { keyed: { code: 'HTTP_ERROR', httpStatus: 429, attempts: 2, orders: 0 }, keyless: { code: 'HTTP_ERROR', httpStatus: 429, attempts: 1, orders: 0 } },
  // Nothing was sent: retried with or without a key, and the outcome is known (no order).
  'closed port': { keyed: { code: 'UNREACHABLE', attempts: 3, orders: 0 }, keyless: { code: 'UNREACHABLE', attempts: 3, orders: 0 } },
  'garbage body (order placed)': { keyed: { code: 'BAD_RESPONSE', attempts: 1, orders: 1, unknown: true }, keyless: { code: 'BAD_RESPONSE', attempts: 1, orders: 1, unknown: true } },
  'reset after the request is read, once': { keyed: { code: 'ok', attempts: 2, orders: 1 }, keyless: { code: 'UNREACHABLE', attempts: 1, orders: 1, unknown: true } },
  '503, once': { keyed: { code: 'ok', attempts: 2, orders: 1 }, keyless: { code: 'HTTP_ERROR', httpStatus: 503, attempts: 1, orders: 0, unknown: true } },
  '429 with Retry-After: 1, once': { keyed: { code: 'ok', attempts: 2, orders: 1 }, keyless: { code: 'HTTP_ERROR', httpStatus: 429, attempts: 1, orders: 0 } },
};

describe.each<{ mode: 'keyed' | 'keyless'; env: Record<string, string>; note: RegExp }>([
  { mode: 'keyed', env: { ORDERS_TIMEOUT_MS: String(TIMEOUT_MS) }, note: UNKNOWN },
  { mode: 'keyless', env: { ORDERS_TIMEOUT_MS: String(TIMEOUT_MS), ORDERS_IDEMPOTENCY_HEADER: '' }, note: UNKNOWN_KEYLESS },
])('placeOrder, $mode', ({ mode, env, note }) => {
  it.each(WRITE_FAULTS)('$name', async ({ name, fault: makeFault }) => {
    const expected = EXPECTED[name]![mode];
    const writeFault = makeFault();
    const run = await placeOrderThrough(writeFault, env);

    expect(run.ordersPlaced).toBe(expected.orders);
    expect(run.ordersPlaced).toBeLessThanOrEqual(1);
    expect(run.ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(run.userErrors).toEqual([]);
    if (expected.code === 'ok') {
      expect(run.failure).toBeUndefined();
      expect(run.orderId).toEqual(expect.any(String));
      expect(run.posts).toBe(expected.attempts);
      return;
    }
    expect(run.orderId).toBeNull();
    expect(run.failure).toMatchObject({ code: expected.code, attempts: expected.attempts, paths: [['placeOrder', 'order']] });
    if (expected.httpStatus) expect(run.failure!.httpStatus).toBe(expected.httpStatus);
    if (expected.unknown) expect(run.failure!.message).toMatch(note);
    else expect(run.failure!.message).not.toMatch(/outcome/);
    expect(run.failure!.message).not.toMatch(/internal|127\.0\.0\.1|html/);
    expect(run.posts).toBe(writeFault === 'closed port' ? 0 : expected.attempts);
  });
});

describe('a client that saw a failure', () => {
  let gw: TestGateway | undefined;
  let orders: OrdersUpstream | undefined;
  afterEach(async () => {
    await gw?.close();
    await orders?.close();
    gw = orders = undefined;
  });

  it('repeats a timed-out placeOrder with the key the payload returned, and gets the order placed the first time', async () => {
    orders = await startOrdersUpstream(fault.first(1, fault.hangAfterPlacing));
    gw = await startGateway({ env: { ORDERS_TIMEOUT_MS: '800' }, urls: { orders: orders.url } });
    // No key of its own: the gateway makes one, and returns it with the failure.
    const first = await gw.query(PLACE_ORDER, {});
    expect(first.body.data.placeOrder).toMatchObject({ order: null, idempotencyKey: expect.stringMatching(/^[\da-f-]{36}$/) });
    expect(first.body.extensions.errors[0]).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(UNKNOWN) });
    expect(orders.store.placedOrders).toHaveLength(1);

    const key = first.body.data.placeOrder.idempotencyKey as string;
    const again = await gw.query(PLACE_ORDER, { key });
    expect(again.body.extensions).toBeUndefined();
    expect(again.body.data.placeOrder).toEqual({ order: { id: orders.store.placedOrders[0]!.id }, idempotencyKey: key, userErrors: [] });
    expect(orders.store.placedOrders).toHaveLength(1);
  });

  it('two concurrent placeOrder with the same key: both sent (writes are never shared), one order', async () => {
    // The service places at once and answers after 300 ms, so the second POST arrives while the first is in flight.
    orders = await startOrdersUpstream((_request, response, place) =>
      void place().then(({ status, body }) => setTimeout(() => fault.healthy(_request, response, async () => ({ status, body })), 300)),
    );
    gw = await startGateway({ urls: { orders: orders.url } });
    const [a, b] = await Promise.all([gw.query(PLACE_ORDER, { key: 'same' }), gw.query(PLACE_ORDER, { key: 'same' })]);

    expect(orders.posts()).toBe(2);
    expect(orders.store.placedOrders).toHaveLength(1);
    expect(a.body.data.placeOrder.order).toEqual({ id: orders.store.placedOrders[0]!.id });
    expect(b.body.data.placeOrder.order).toEqual(a.body.data.placeOrder.order);
  });
});
