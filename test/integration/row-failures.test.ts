import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/**
 * One bad row fails only the key it belongs to: the other keys of the same
 * call are served, and the call is one `extensions.errors` entry listing only
 * the paths the bad rows nulled. A body that is not an array of rows, or a bad
 * row that names no key the call asked for, still fails the whole call.
 */
let gw: TestGateway | undefined;
let upstream: TestUpstream | undefined;
afterEach(async () => {
  await gw?.close();
  await upstream?.close();
  gw = upstream = undefined;
});

const product = (id: string) => ({ id, name: `Product ${id}`, price: 10 });

async function productsAnswering(rows: unknown, env: Record<string, string> = {}) {
  upstream = await startUpstream((_request, response) => sendJson(response, 200, rows));
  gw = await startGateway({ urls: { products: upstream.url }, env });
  return gw;
}

describe('a bad row in a batch answer', () => {
  it('fails its own key only; the other rows are served', async () => {
    await productsAnswering([product('p1'), { id: 'p2', name: 'Broken', price: 'ten' }, product('p3')]);
    const { body } = await gw!.query(`{ products(ids: ["p1", "p2", "p3"]) { id name } }`);
    expect(body.data.products).toEqual([{ id: 'p1', name: 'Product p1' }, null, { id: 'p3', name: 'Product p3' }]);
    expect(body.extensions.errors).toEqual([
      {
        service: 'products',
        code: 'BAD_RESPONSE',
        message: 'products sent a bad response: not the documented shape ([1].price: Invalid input: expected number, received string)',
        paths: [['products', 1]],
        attempts: 1,
      },
    ]);
    expect(upstream!.hits).toHaveLength(1);
  });

  it('is one entry per call, with the paths of every bad key of that call', async () => {
    await productsAnswering([{ id: 'p1', name: 1, price: 1 }, product('p2'), { id: 'p3', price: 1 }]);
    const { body } = await gw!.query(`{ a: product(id: "p1") { name } b: product(id: "p2") { name } c: product(id: "p3") { name } }`);
    expect(body.data).toEqual({ a: null, b: { name: 'Product p2' }, c: null });
    expect(body.extensions.errors).toHaveLength(1);
    expect(body.extensions.errors[0]).toMatchObject({ service: 'products', code: 'BAD_RESPONSE', paths: [['a'], ['c']] });
    expect(body.extensions.errors[0].message).toMatch(/^products sent a bad response: rows for 2 keys are not the documented shape \(\[0\]\.name: /);
  });

  it('fails one user\'s orders only (a key with many rows)', async () => {
    const order = (id: string, userId: string, productId = 'p1') => ({
      id, userId, productId, quantity: 1, total: 5, status: 'paid', createdAt: '2026-01-01T00:00:00.000Z',
    });
    upstream = await startUpstream((_request, response) =>
      sendJson(response, 200, [order('o1', '1'), order('o2', '2', 'not a safe id'), order('o3', '2'), order('o4', '3')]),
    );
    gw = await startGateway({ urls: { orders: upstream.url } });
    const { body } = await gw.query(`{ users(ids: ["1", "2", "3"]) { id orders { id } } }`);
    expect(body.data.users).toEqual([
      { id: '1', orders: [{ id: 'o1' }] },
      { id: '2', orders: null },
      { id: '3', orders: [{ id: 'o4' }] },
    ]);
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ service: 'orders', code: 'BAD_RESPONSE', paths: [['users', 1, 'orders']] }),
    ]);
    expect(body.extensions.errors[0].message).toContain('[1].productId: not a usable id');
  });

  it('fails the whole call when the bad row names no key that was asked for', async () => {
    await productsAnswering([product('p1'), { name: 'no id', price: 1 }]);
    const { body } = await gw!.query(`{ products(ids: ["p1", "p2"]) { id } }`);
    expect(body.data.products).toEqual([null, null]);
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ code: 'BAD_RESPONSE', paths: [['products', 0], ['products', 1]] }),
    ]);
  });

  it('fails the whole call when the body is not an array of rows', async () => {
    await productsAnswering({ rows: [product('p1')] });
    const { body } = await gw!.query(`{ products(ids: ["p1", "p2"]) { id } }`);
    expect(body.data.products).toEqual([null, null]);
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({
        code: 'BAD_RESPONSE',
        message: 'products sent a bad response: not the documented shape (body: expected an array of rows)',
        paths: [['products', 0], ['products', 1]],
      }),
    ]);
  });
});

describe('with batching off', () => {
  it('a bad per-key answer fails that key; the other keys are served', async () => {
    upstream = await startUpstream((request, response) => {
      const id = request.url!.split('/').pop()!;
      sendJson(response, 200, id === 'p2' ? { id, name: 'Broken' } : product(id));
    });
    gw = await startGateway({ urls: { products: upstream.url }, env: { PRODUCTS_BATCH: 'false' } });
    const { body } = await gw.query(`{ products(ids: ["p1", "p2"]) { id } }`);
    expect(body.data.products).toEqual([{ id: 'p1' }, null]);
    expect(body.extensions.errors).toEqual([
      {
        service: 'products',
        code: 'BAD_RESPONSE',
        message: 'products sent a bad response: not the documented shape (price: Invalid input: expected number, received undefined)',
        paths: [['products', 1]],
        attempts: 1,
      },
    ]);
  });
});
