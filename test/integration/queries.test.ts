import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoData } from '../../src/demo/data.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

const data = createDemoData();
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.demo.resetStats());

const userWithOrders = [...data.ordersByUserId].find(([, orders]) => orders.length >= 2)![0];

describe('every query of the schema, against the demo upstreams', () => {
  it('user(id) with orders, products, stock, sales and notifications', async () => {
    const { status, body } = await gw.query(
      `query ($id: ID!) { user(id: $id) { id name email
        orders { id userId productId quantity total status createdAt product { id name price stock { productId available warehouse } sales { productId unitsSold revenue } } }
        notifications { id userId message read createdAt } } }`,
      { id: userWithOrders },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions).toBeUndefined();
    const user = body.data.user;
    expect(user).toMatchObject(data.userById.get(userWithOrders)!);
    expect(user.orders.map((o: { id: string }) => o.id)).toEqual(data.ordersByUserId.get(userWithOrders)!.map((o) => o.id));
    for (const order of user.orders) {
      const { product, ...fields } = order;
      expect(fields).toEqual(data.ordersByUserId.get(userWithOrders)!.find((o) => o.id === order.id));
      expect(product).toMatchObject(data.productById.get(order.productId)!);
      expect(product.stock).toEqual(data.stockByProductId.has(order.productId) ? { warehouse: null, ...data.stockByProductId.get(order.productId) } : null);
      expect(product.sales).toEqual(data.salesByProductId.get(order.productId));
    }
    expect(user.notifications).toEqual(data.notificationsByUserId.get(userWithOrders));
  });

  it('users(ids) keeps the order and duplicates of the ids and answers null for unknown ones', async () => {
    const { body } = await gw.query(`{ users(ids: ["3", "nobody", "1", "3"]) { id name } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.users).toEqual([
      { id: '3', name: data.userById.get('3')!.name },
      null,
      { id: '1', name: data.userById.get('1')!.name },
      { id: '3', name: data.userById.get('3')!.name },
    ]);
    expect(callCounts(gw.demo).users).toBe(1);
  });

  it('dashboard(userId)', async () => {
    const { body } = await gw.query(
      `{ dashboard(userId: "${userWithOrders}") { user { name } orders { id total } notifications { id read } } }`,
    );
    expect(body).toEqual({
      data: {
        dashboard: {
          user: { name: data.userById.get(userWithOrders)!.name },
          orders: data.ordersByUserId.get(userWithOrders)!.map(({ id, total }) => ({ id, total })),
          notifications: data.notificationsByUserId.get(userWithOrders)!.map(({ id, read }) => ({ id, read })),
        },
      },
    });
  });

  it('dashboard of an unknown user: user null, no error', async () => {
    const { body } = await gw.query(`{ dashboard(userId: "999999") { user { name } orders { id } notifications { id } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.extensions).toBeUndefined();
    expect(body.data.dashboard.user).toBeNull();
  });

  it('product(id) and products(ids); a product without stock has stock null and no error', async () => {
    const { body } = await gw.query(`{ product(id: "p40") { id name price stock { available } sales { unitsSold } }
      products(ids: ["p2", "p404", "p1"]) { id price } }`);
    expect(body.errors).toBeUndefined();
    expect(body.extensions).toBeUndefined();
    expect(body.data.product).toEqual({ ...data.productById.get('p40'), stock: null, sales: { unitsSold: data.salesByProductId.get('p40')!.unitsSold } });
    expect(body.data.products).toEqual([
      { id: 'p2', price: data.productById.get('p2')!.price },
      null,
      { id: 'p1', price: data.productById.get('p1')!.price },
    ]);
  });

  it('refuses a hostile id as client input, before any upstream call, and keeps serving', async () => {
    const { status, body } = await gw.query(`{ user(id: "../admin") { id } product(id: "1,2") { id } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ user: null, product: null });
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(body.extensions).toBeUndefined();
    expect(callCounts(gw.demo)).toEqual({});
    expect((await gw.query(`{ user(id: "1") { id } }`)).body.data.user.id).toBe('1');
  });

  it('refuses more ids than MAX_IDS_PER_LIST before any call', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
    const { body } = await gw.query(`query ($ids: [ID!]!) { users(ids: $ids) { id } }`, { ids });
    expect(body.errors[0].message).toMatch(/100/);
    expect(callCounts(gw.demo, ['users']).users).toBe(0);
  });

  it('sends and returns a request id', async () => {
    const { headers } = await gw.query(`{ user(id: "1") { id } }`, undefined, { 'x-request-id': 'trace-me-42' });
    expect(headers.get('x-request-id')).toBe('trace-me-42');
    expect(gw.demo.stats.users.calls[0]!.headers['x-request-id']).toBe('trace-me-42');
    const generated = await gw.query(`{ user(id: "1") { id } }`, undefined, { 'x-request-id': 'bad id\twith junk' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
