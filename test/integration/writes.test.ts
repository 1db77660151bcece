import { afterEach, describe, expect, it } from 'vitest';
import { createDemoData } from '../../src/demo/data.js';
import { PLACE_ORDER_QUERY } from '../../src/graphiql/tabs.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * The two mutations against the demo upstreams, which carry writes out for
 * real: what each answers, that every read after a write (in the same request
 * and in the next) sees it, how input errors come back as data, and that a
 * write is never sent for a GET.
 */
const PLACE = /* GraphQL */ `
  mutation Place($input: PlaceOrderInput!, $key: String) {
    placeOrder(input: $input, idempotencyKey: $key) {
      order { id userId productId quantity total status product { name stock { available } } }
      idempotencyKey
      userErrors { code message field }
    }
  }
`;
const INPUT = { userId: '1', productId: 'p3', quantity: 2 };

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const posts = (service: 'orders' | 'notifications') => gw!.demo.stats[service].calls.filter((call) => call.method === 'POST');

describe('placeOrder', () => {
  it('places the order and answers it, its product and stock loaded as any order is', async () => {
    gw = await startGateway();
    const { body } = await gw.query(PLACE, { input: INPUT, key: 'order-1' });
    expect(body.extensions).toBeUndefined();
    expect(body.data.placeOrder).toEqual({
      order: { id: expect.any(String), ...INPUT, total: expect.any(Number), status: 'pending', product: { name: 'Wireless Desk lamp', stock: { available: 149 } } },
      idempotencyKey: 'order-1',
      userErrors: [],
    });
    expect(gw.demo.writes.placedOrders).toHaveLength(1);
    expect(posts('orders')[0]!.headers['idempotency-key']).toBe('order-1');
  });

  it('a read in the next request sees the new order, in the user’s orders and the product’s sales', async () => {
    gw = await startGateway();
    const read = `{ user(id: "1") { orders { id } } product(id: "p3") { sales { unitsSold } } }`;
    const before = (await gw.query(read)).body.data;
    const { order } = (await gw.query(PLACE, { input: INPUT })).body.data.placeOrder;
    const after = (await gw.query(read)).body.data;
    expect(after.user.orders).toEqual([...before.user.orders, { id: order.id }]);
    expect(after.product.sales.unitsSold).toBe(before.product.sales.unitsSold + 2);
  });

  it('a read in the same request, after the write, sees it: what the request had loaded before is forgotten', async () => {
    gw = await startGateway();
    const twice = /* GraphQL */ `mutation {
      first: placeOrder(input: { userId: "1", productId: "p3", quantity: 2 }) { order { product { sales { unitsSold } } } }
      second: placeOrder(input: { userId: "2", productId: "p3", quantity: 5 }) { order { product { sales { unitsSold } } } }
    }`;
    const { body } = await gw.query(twice);
    const sold = (field: string) => body.data[field].order.product.sales.unitsSold as number;
    expect(sold('second')).toBe(sold('first') + 5);
  });

  it('the same key and input again: the same order, placed once; the key with other input: IDEMPOTENCY_KEY_REUSED', async () => {
    gw = await startGateway();
    const first = (await gw.query(PLACE, { input: INPUT, key: 'k' })).body.data.placeOrder;
    const again = (await gw.query(PLACE, { input: INPUT, key: 'k' })).body.data.placeOrder;
    expect(again).toEqual(first);
    const other = await gw.query(PLACE, { input: { ...INPUT, quantity: 3 }, key: 'k' });
    expect(other.body.extensions).toBeUndefined();
    expect(other.body.data.placeOrder).toEqual({
      order: null,
      idempotencyKey: 'k',
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', message: 'this idempotency key was used with another request', field: ['idempotencyKey'] }],
    });
    expect(gw.demo.writes.placedOrders).toHaveLength(1);
  });

  it('without a key of the client’s, sends a fresh one each time and returns it', async () => {
    gw = await startGateway();
    const keys = [];
    for (let i = 0; i < 2; i++) keys.push((await gw.query(PLACE, { input: INPUT })).body.data.placeOrder.idempotencyKey);
    expect(keys[0]).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[\da-f]{4}-[\da-f]{12}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(posts('orders').map((call) => call.headers['idempotency-key'])).toEqual(keys);
    expect(gw.demo.writes.placedOrders).toHaveLength(2);
  });

  it('input the service refuses (422) is a userErrors entry in its words, with the field as a path into the input', async () => {
    gw = await startGateway();
    for (const [input, message, field] of [
      [{ ...INPUT, quantity: 500 }, 'quantity must be a whole number from 1 to 100', ['input', 'quantity']],
      [{ ...INPUT, productId: 'p999' }, 'unknown product', ['input', 'productId']],
    ] as const) {
      const { body } = await gw.query(PLACE, { input });
      expect(body.extensions).toBeUndefined();
      expect(body.data.placeOrder).toMatchObject({ order: null, userErrors: [{ code: 'INVALID_INPUT', message, field }] });
    }
    expect(posts('orders')).toHaveLength(2);
    expect(gw.demo.writes.placedOrders).toHaveLength(0);
  });

  it('input the gateway can judge is refused before any call: a quantity below 1 as data, bad ids and keys as BAD_USER_INPUT', async () => {
    gw = await startGateway();
    const zero = await gw.query(PLACE, { input: { ...INPUT, quantity: 0 } });
    expect(zero.body.data.placeOrder).toMatchObject({ order: null, userErrors: [{ code: 'INVALID_INPUT', message: 'quantity must be at least 1', field: ['input', 'quantity'] }] });
    for (const [variables, message] of [
      [{ input: { ...INPUT, userId: '../1' } }, /Argument "input.userId": the id contains a character/],
      [{ input: INPUT, key: '' }, /Argument "idempotencyKey": the key is empty/],
      [{ input: INPUT, key: 'k'.repeat(256) }, /the key is longer than 255 characters/],
      [{ input: INPUT, key: 'clé' }, /the key contains a character that is not printable ASCII/],
      [{ input: INPUT, key: 'a\nb' }, /not printable ASCII/],
    ] as const) {
      const { body } = await gw.query(PLACE, variables);
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } })]);
    }
    expect(posts('orders')).toHaveLength(0);
  });

  it('a key of 255 printable ASCII characters is fine', async () => {
    gw = await startGateway();
    const key = ' ~!'.repeat(85);
    const { body } = await gw.query(PLACE, { input: INPUT, key });
    expect(body.data.placeOrder).toMatchObject({ order: { id: expect.any(String) }, idempotencyKey: key });
  });

  it('an upstream failure nulls the order and is reported under its path (aliases included), the outcome unknown', async () => {
    gw = await startGateway({ env: { ORDERS_RETRIES: '1' }, demo: { knobs: { orders: { writeFailStatus: 503 } } } });
    const { body } = await gw.query(`mutation { p: placeOrder(input: { userId: "1", productId: "p3", quantity: 2 }, idempotencyKey: "f") { o: order { id } idempotencyKey userErrors { code } } }`);
    expect(body.data.p).toEqual({ o: null, idempotencyKey: 'f', userErrors: [] });
    expect(body.extensions.errors).toEqual([
      {
        service: 'orders',
        code: 'HTTP_ERROR',
        httpStatus: 503,
        attempts: 2,
        message: 'orders answered HTTP 503; the outcome is unknown: repeat placeOrder with the same idempotencyKey to learn it',
        paths: [['p', 'o']],
      },
    ]);
  });

  it('with ORDERS_IDEMPOTENCY_HEADER set to another name, the key goes in that header; empty, in none', async () => {
    gw = await startGateway({ env: { ORDERS_IDEMPOTENCY_HEADER: 'X-Order-Key' } });
    await gw.query(PLACE, { input: INPUT, key: 'named' });
    expect(posts('orders')[0]!.headers).toMatchObject({ 'x-order-key': 'named' });
    expect(posts('orders')[0]!.headers['idempotency-key']).toBeUndefined();
    await gw.close();

    gw = await startGateway({ env: { ORDERS_IDEMPOTENCY_HEADER: '' } });
    const { body } = await gw.query(PLACE, { input: INPUT, key: 'unsent' });
    expect(body.data.placeOrder).toMatchObject({ order: { id: expect.any(String) }, idempotencyKey: 'unsent' });
    expect(Object.values(posts('orders')[0]!.headers)).not.toContain('unsent');
  });

  it('a client that leaves does not cancel a write already sent: it completes upstream', async () => {
    gw = await startGateway({ demo: { knobs: { orders: { latencyMs: 400 } } } });
    const controller = new AbortController();
    const request = fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PLACE, variables: { input: INPUT } }),
      signal: controller.signal,
    }).catch(() => 'left');
    await new Promise((resolve) => setTimeout(resolve, 150));
    controller.abort();
    expect(await request).toBe('left');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(posts('orders')).toHaveLength(1);
    expect(gw.demo.writes.placedOrders).toHaveLength(1);
    expect(gw.demo.stats.orders.inFlight).toBe(0);
  });
});

describe('markNotificationsRead', () => {
  const MARK = /* GraphQL */ `
    mutation Mark($userId: ID!, $ids: [ID!]!) {
      markNotificationsRead(userId: $userId, ids: $ids) { notifications { id userId read } userErrors { code } }
    }
  `;
  const NOTIFICATIONS = `query ($id: ID!) { user(id: $id) { notifications { id read } } }`;

  it('marks the named notifications of the user read, leaves others (and other users’) alone, and the next read sees it', async () => {
    gw = await startGateway();
    const mine = (await gw.query(NOTIFICATIONS, { id: '2' })).body.data.user.notifications as Array<{ id: string; read: boolean }>;
    const theirs = (await gw.query(NOTIFICATIONS, { id: '3' })).body.data.user.notifications as Array<{ id: string; read: boolean }>;
    expect(mine.length).toBeGreaterThan(1);
    expect(theirs.length).toBeGreaterThan(0);
    const named = mine.slice(0, 1).map((row) => row.id);

    const { body } = await gw.query(MARK, { userId: '2', ids: [...named, theirs[0]!.id, 'n-unknown'] });
    expect(body.extensions).toBeUndefined();
    expect(body.data.markNotificationsRead).toEqual({ notifications: named.map((id) => ({ id, userId: '2', read: true })), userErrors: [] });

    const after = (await gw.query(NOTIFICATIONS, { id: '2' })).body.data.user.notifications;
    expect(after).toEqual(mine.map((row) => (named.includes(row.id) ? { ...row, read: true } : row)));
    expect((await gw.query(NOTIFICATIONS, { id: '3' })).body.data.user.notifications).toEqual(theirs);
  });

  it('a read in the same request, after the write, sees it (the notifications of a review\'s author, read before and after)', async () => {
    // A product whose first review's author has an unread notification: the only path from a mutation to a user's
    // notifications is placeOrder { order { product { reviews { author { notifications } } } } }, seven levels deep.
    const data = createDemoData();
    const [productId, author, unread] = [...data.reviewsByProductId]
      .map(([id, reviews]) => [id, reviews[0]!.userId, data.notificationsByUserId.get(reviews[0]!.userId)?.find((row) => !row.read)?.id] as const)
      .find(([, , id]) => id !== undefined)!;
    gw = await startGateway({ env: { MAX_DEPTH: '8' } });
    const seen = `order { product { reviews { author { id notifications { id read } } } } }`;
    const { body } = await gw.query(`mutation {
      before: placeOrder(input: { userId: "1", productId: "${productId}", quantity: 1 }) { ${seen} }
      markNotificationsRead(userId: "${author}", ids: ["${unread}"]) { notifications { id read } }
      after: placeOrder(input: { userId: "2", productId: "${productId}", quantity: 1 }) { ${seen} }
    }`);
    const readOf = (field: string) => {
      const reviews = body.data[field].order.product.reviews as Array<{ author: { id: string; notifications: Array<{ id: string; read: boolean }> } }>;
      return reviews.find((review) => review.author.id === author)!.author.notifications.find((row) => row.id === unread)!.read;
    };
    expect(body.extensions).toBeUndefined();
    expect([readOf('before'), body.data.markNotificationsRead.notifications, readOf('after')]).toEqual([false, [{ id: unread, read: true }], true]);
  });

  it('is retried like a read, with no key: three attempts at an always-503 service, and the failure says it is safe to repeat', async () => {
    gw = await startGateway({ demo: { knobs: { notifications: { writeFailStatus: 503 } } } });
    const failed = await gw.query(MARK, { userId: '2', ids: ['n1'] });
    expect(failed.body.data.markNotificationsRead).toEqual({ notifications: null, userErrors: [] });
    expect(failed.body.extensions.errors[0]).toMatchObject({
      service: 'notifications',
      attempts: 3,
      message: 'notifications answered HTTP 503; the outcome is unknown: markNotificationsRead is safe to repeat',
      paths: [['markNotificationsRead', 'notifications']],
    });
    expect(posts('notifications').every((call) => call.headers['idempotency-key'] === undefined)).toBe(true);
  });

  it('refuses bad ids before any call', async () => {
    gw = await startGateway();
    const { body } = await gw.query(MARK, { userId: '2', ids: ['n1', 'a,b'] });
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/Argument "ids"/) });
    expect(posts('notifications')).toHaveLength(0);
  });
});

describe("GraphiQL's placeOrder tab", () => {
  it('places the order once, however often it is run', async () => {
    gw = await startGateway();
    const first = await gw.query(PLACE_ORDER_QUERY);
    const again = await gw.query(PLACE_ORDER_QUERY);
    expect(first.body.data.placeOrder).toMatchObject({ order: { status: 'pending' }, idempotencyKey: 'graphiql-example-1', userErrors: [] });
    expect(again.body).toEqual(first.body);
    expect(gw.demo.writes.placedOrders).toHaveLength(1);
  });
});

describe('never over GET', () => {
  it('a mutation sent with GET is refused (405), and nothing is written', async () => {
    gw = await startGateway();
    const mutation = encodeURIComponent('mutation { placeOrder(input: { userId: "1", productId: "p3", quantity: 1 }) { idempotencyKey } }');
    const answer = await rawRequest(`${gw.url}?query=${mutation}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(answer.status).toBe(405);
    expect(posts('orders')).toHaveLength(0);
    expect(gw.demo.writes.placedOrders).toHaveLength(0);
  });
});
