import { afterEach, describe, expect, it } from 'vitest';
import { createDemoData } from '../../src/demo/data.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

/** The reviews service: data, batching on and off, partial failure, and latency equal to the dependency depth. */
const data = createDemoData();
const TWENTY = Array.from({ length: 20 }, (_, i) => `p${i + 1}`);
const REVIEW_AUTHORS = `query ($ids: [ID!]!) { products(ids: $ids) { id reviews { id rating author { name } } } }`;

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const batch = (on: boolean) => Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_BATCH`, String(on)]));

describe('Product.reviews and Review.author', () => {
  it('answer the demo data: every field of a review, and its author', async () => {
    gw = await startGateway();
    const { body } = await gw.query(`{ product(id: "p3") { reviews { id productId userId rating comment createdAt author { id name } } } }`);
    expect(body.errors).toBeUndefined();
    const expected = data.reviewsByProductId.get('p3')!;
    expect(expected.length).toBeGreaterThan(0);
    expect(body.data.product.reviews).toEqual(
      expected.map((review) => ({ ...review, author: { id: review.userId, name: data.userById.get(review.userId)!.name } })),
    );
  });

  it('a product without reviews has [] and no error', async () => {
    gw = await startGateway();
    const { body } = await gw.query(`{ product(id: "p40") { name reviews { id } } }`);
    expect(body).toEqual({ data: { product: { name: data.productById.get('p40')!.name, reviews: [] } } });
  });

  it.each([true, false])('20 products with reviews and authors, batching %s: the same answer, the calls the data needs', async (on) => {
    gw = await startGateway({ env: batch(on) });
    const { body } = await gw.query(REVIEW_AUTHORS, { ids: TWENTY });
    expect(body.errors).toBeUndefined();
    const reviews = TWENTY.flatMap((id) => data.reviewsByProductId.get(id) ?? []);
    expect(body.data.products.flatMap((product: { reviews: unknown[] }) => product.reviews)).toEqual(
      reviews.map(({ id, rating, userId }) => ({ id, rating, author: { name: data.userById.get(userId)!.name } })),
    );
    const authors = new Set(reviews.map(({ userId }) => userId)).size;
    expect(callCounts(gw.demo)).toEqual(on ? { products: 1, reviews: 1, users: 1 } : { products: 20, reviews: 20, users: authors });
  });
});

describe('partial failure', () => {
  it('reviews down: each product\'s reviews are null, one entry lists every path, the products are there', async () => {
    gw = await startGateway({ demo: { knobs: { reviews: { failStatus: 500 } } } });
    const { body } = await gw.query(`{ products(ids: ["p1", "p2"]) { name reviews { id } } }`);
    expect(body.data.products).toEqual([
      { name: data.productById.get('p1')!.name, reviews: null },
      { name: data.productById.get('p2')!.name, reviews: null },
    ]);
    expect(body.extensions.errors).toEqual([
      {
        service: 'reviews',
        code: 'HTTP_ERROR',
        httpStatus: 500,
        message: 'reviews answered HTTP 500',
        paths: [['products', 0, 'reviews'], ['products', 1, 'reviews']],
        attempts: 1,
      },
    ]);
  });

  it('users down: the authors are null, the reviews are there', async () => {
    gw = await startGateway({ demo: { knobs: { users: { failStatus: 500 } } } });
    const { body } = await gw.query(`{ product(id: "p1") { reviews { id author { name } } } }`);
    const reviews = data.reviewsByProductId.get('p1')!;
    expect(body.data.product.reviews).toEqual(reviews.map(({ id }) => ({ id, author: null })));
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ service: 'users', code: 'HTTP_ERROR', paths: reviews.map((_, index) => ['product', 'reviews', index, 'author']) }),
    ]);
  });
});

describe('latency equals the dependency depth', () => {
  const LATENCY = 300;
  const slow = { demo: { knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs: LATENCY }])) } };

  it('products(ids) { reviews { author } }: products and reviews together, then users (2 latencies)', async () => {
    gw = await startGateway(slow);
    await gw.query(`{ product(id: "p1") { id } user(id: "1") { id } }`); // warm sockets
    gw.demo.resetStats();
    const { body, ms } = await gw.query(REVIEW_AUTHORS, { ids: TWENTY });
    expect(body.errors).toBeUndefined();
    expect(callCounts(gw.demo)).toEqual({ products: 1, reviews: 1, users: 1 });
    expect(ms).toBeGreaterThanOrEqual(LATENCY * 2);
    expect(ms).toBeLessThan(LATENCY * 2 * 1.4);
  });

  it('users(ids) { orders { product { reviews { author } } } }: 3 latencies', async () => {
    gw = await startGateway(slow);
    await gw.query(`{ product(id: "p1") { id } user(id: "1") { id } }`);
    gw.demo.resetStats();
    const { body, ms } = await gw.query(
      `query ($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name reviews { rating author { name } } } } } }`,
      { ids: ['1', '2', '3', '4', '5'] },
    );
    expect(body.errors).toBeUndefined();
    // users and orders at once; products and reviews at once; then the authors.
    expect(callCounts(gw.demo)).toEqual({ users: 2, orders: 1, products: 1, reviews: 1 });
    expect(ms).toBeLessThan(LATENCY * 3 * 1.4);
  });
});
