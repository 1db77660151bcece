import type { KeyedReadSpec } from '../services/define.js';
import type { ReadName, Reads } from '../services/index.js';
import type { NotificationRow } from '../services/notifications.js';
import type { OrderRow, SalesRow } from '../services/orders.js';
import type { ProductRow } from '../services/products.js';
import type { ReviewRow } from '../services/reviews.js';
import type { StockRow } from '../services/inventory.js';
import type { UserRow } from '../services/users.js';

/**
 * The demo upstreams' data: a small shop, generated from a fixed seed so that
 * every run (and every test) starts from the same users, orders and products.
 * One table per keyed read, named as the read (and its loader): the row of
 * each known key, or its rows. The demo's routes are derived from the reads
 * (routes.ts), so a new service needs only its table here. Writes (writes.ts)
 * replace a key's entry, never a row in place, and last as long as the
 * process.
 */
export type DemoData = { readonly [N in ReadName]: Map<string, DemoEntry<Reads[N]>> };

type DemoEntry<R> = R extends KeyedReadSpec<infer Row, infer C> ? (C extends 'one' ? Row : readonly Row[]) : never;

export const DEMO_USER_COUNT = 300;
export const DEMO_PRODUCT_COUNT = 40;
/**
 * The showcase of partial failure (GraphiQL's second tab): a user with orders
 * whose notifications the demo service always answers with HTTP 503. Not one
 * of the numbered users, so they are never affected.
 */
export const DEMO_UNLUCKY_USER_ID = 'unlucky';

/**
 * The `Cache-Control` each demo read answers with: what a real service of its
 * kind would send. Catalogue data changes rarely and may stand in for an
 * outage; stock changes often; orders and notifications belong to one user
 * (`private`: the gateway keeps them only for requests that forward that
 * user's credentials). A new read must say how it may be cached.
 */
export const DEMO_CACHE_CONTROL: { readonly [N in ReadName]: string } = {
  userById: 'max-age=30',
  ordersByUserId: 'private, max-age=5',
  salesByProductId: 'max-age=60',
  notificationsByUserId: 'private, max-age=5',
  productById: 'max-age=60, stale-if-error=600',
  stockByProductId: 'max-age=2, stale-while-revalidate=5',
  reviewsByProductId: 'max-age=120',
};

/**
 * The showcase of a stale answer (GraphiQL's fifth tab): a product that the
 * demo products service answers once and then never again (HTTP 503, as if
 * the service had gone down). Its answer may be kept fresh for 1 s and serve
 * as a stale answer for 10 minutes, so the outage shows at the second ask.
 */
export const DEMO_OUTAGE = { read: 'productById', key: 'outage', cacheControl: 'max-age=1, stale-if-error=600' } as const;

/** Keys whose calls (per-key, or any batch that carries them) the demo answers with HTTP 503. */
export const DEMO_FAILING_KEYS: { readonly [N in ReadName]?: ReadonlySet<string> } = {
  notificationsByUserId: new Set([DEMO_UNLUCKY_USER_ID]),
};

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'McCarthy'];
const ITEMS = ['Keyboard', 'Mouse', 'Monitor', 'Desk lamp', 'Notebook', 'Headphones', 'Webcam', 'USB hub', 'Chair', 'Cable'];
const ADJECTIVES = ['Compact', 'Ergonomic', 'Wireless', 'Classic', 'Pro'];
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'];
const WAREHOUSES = ['Berlin', 'Lyon', 'Leeds', null];
const MESSAGES = ['Your order has shipped', 'A product on your wishlist is back in stock', 'Your invoice is ready', 'Welcome back!', 'Password changed'];

/** mulberry32: small, fast, and the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createDemoData(seed = 20261128): DemoData {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const day = (index: number) => new Date(Date.UTC(2026, 0, 1) + index * 3_600_000 * 7).toISOString();

  const products = new Map<string, ProductRow>();
  const stock = new Map<string, StockRow>();
  for (let i = 1; i <= DEMO_PRODUCT_COUNT; i++) {
    const id = `p${i}`;
    products.set(id, { id, name: `${pick(ADJECTIVES)} ${ITEMS[i % ITEMS.length]}`, price: Math.round(500 + next() * 30_000) / 100 });
    // The last product is not tracked by inventory: its stock is a 404.
    if (i < DEMO_PRODUCT_COUNT) stock.set(id, { productId: id, available: Math.floor(next() * 250), warehouse: pick(WAREHOUSES) });
  }

  const users = new Map<string, UserRow>();
  const ordersByUser = new Map<string, OrderRow[]>();
  const notificationsByUser = new Map<string, NotificationRow[]>();
  const sales = new Map<string, SalesRow>();
  let orderSeq = 0;
  let notificationSeq = 0;
  for (let i = 1; i <= DEMO_USER_COUNT; i++) {
    const id = String(i);
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    users.set(id, { id, name: `${first} ${last}`, email: `${first}.${last}.${i}@example.com`.toLowerCase() });

    const orders: OrderRow[] = [];
    for (let n = Math.floor(next() * 6); n > 0; n--) {
      const product = products.get(`p${1 + Math.floor(next() * DEMO_PRODUCT_COUNT)}`)!;
      const quantity = 1 + Math.floor(next() * 4);
      const total = Math.round(product.price * quantity * 100) / 100;
      orders.push({ id: `o${++orderSeq}`, userId: id, productId: product.id, quantity, total, status: pick(STATUSES), createdAt: day(orderSeq) });
      const sold = sales.get(product.id) ?? { productId: product.id, unitsSold: 0, revenue: 0 };
      sales.set(product.id, { productId: product.id, unitsSold: sold.unitsSold + quantity, revenue: Math.round((sold.revenue + total) * 100) / 100 });
    }
    ordersByUser.set(id, orders);

    const notifications: NotificationRow[] = [];
    for (let n = Math.floor(next() * 5); n > 0; n--) {
      notificationSeq++;
      notifications.push({ id: `n${notificationSeq}`, userId: id, message: pick(MESSAGES), read: next() < 0.5, createdAt: day(notificationSeq) });
    }
    notificationsByUser.set(id, notifications);
  }
  for (const id of products.keys()) if (!sales.has(id)) sales.set(id, { productId: id, unitsSold: 0, revenue: 0 });
  addUnluckyUser(users, ordersByUser, products);
  // After the sales totals, from no random draw: the seeded data stays as it was.
  products.set(DEMO_OUTAGE.key, { id: DEMO_OUTAGE.key, name: 'Umbrella (served while its service is down)', price: 19.9 });

  return {
    userById: users,
    ordersByUserId: ordersByUser,
    notificationsByUserId: notificationsByUser,
    productById: products,
    stockByProductId: stock,
    salesByProductId: sales,
    reviewsByProductId: createReviews(seed),
  };
}

const COMMENTS = ['Does the job.', 'Better than expected.', 'Stopped working after a month.', 'Great value.', 'Would buy again.', 'Too loud.'];

/** From a random stream of their own, so that adding reviews changed no other data. Product p40 has none. */
function createReviews(seed: number): Map<string, ReviewRow[]> {
  const next = random(seed ^ 0x5eed);
  const reviews = new Map<string, ReviewRow[]>();
  let reviewSeq = 0;
  for (let i = 1; i < DEMO_PRODUCT_COUNT; i++) {
    const productId = `p${i}`;
    const rows: ReviewRow[] = [];
    for (let n = 1 + Math.floor(next() * 4); n > 0; n--) {
      reviewSeq++;
      rows.push({
        id: `r${reviewSeq}`,
        productId,
        userId: String(1 + Math.floor(next() * DEMO_USER_COUNT)),
        rating: 1 + Math.floor(next() * 5),
        comment: COMMENTS[Math.floor(next() * COMMENTS.length)]!,
        createdAt: new Date(Date.UTC(2026, 1, 1) + reviewSeq * 3_600_000 * 5).toISOString(),
      });
    }
    reviews.set(productId, rows);
  }
  return reviews;
}

/** Added after the seeded users, from no random draw, so their data and the sales totals stay as they were. */
function addUnluckyUser(users: Map<string, UserRow>, ordersByUser: Map<string, OrderRow[]>, products: ReadonlyMap<string, ProductRow>): void {
  const userId = DEMO_UNLUCKY_USER_ID;
  users.set(userId, { id: userId, name: 'Murphy Law', email: 'murphy.law@example.com' });
  ordersByUser.set(
    userId,
    ['p1', 'p2'].map((productId, index) => ({
      id: `o-${userId}-${index + 1}`,
      userId,
      productId,
      quantity: 1,
      total: products.get(productId)!.price,
      status: 'delivered',
      createdAt: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
    })),
  );
}
