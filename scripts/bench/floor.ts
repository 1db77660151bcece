import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floors a bench child serves: the dashboard's three upstream calls, with
 * no GraphQL, merged into one JSON answer (what a hand-written endpoint
 * costs), `GET /dashboard?userId=N`; and the nested 50-user query's two waves
 * by hand (users, orders and notifications; then products and stock for the
 * orders' productIds), `GET /nested?ids=1,2,…`. The HTTP client is the
 * caller's: `getJson(service, path)` answers the parsed body of a 200, else null.
 */
export type Upstream = 'users' | 'orders' | 'notifications' | 'products' | 'inventory';
export type GetJson = (service: Upstream, path: string) => Promise<unknown>;

type Row = Record<string, unknown>;
const byKey = (rows: unknown, key: string) => {
  const map = new Map<unknown, Row[]>();
  for (const row of (rows as Row[] | null) ?? []) {
    const group = map.get(row[key]);
    if (group) group.push(row);
    else map.set(row[key], [row]);
  }
  return map;
};

async function nested(getJson: GetJson, ids: string): Promise<unknown> {
  const [userRows, orderRows, notificationRows] = await Promise.all([
    getJson('users', `users?ids=${ids}`),
    getJson('orders', `orders?userIds=${ids}`),
    getJson('notifications', `notifications?userIds=${ids}`),
  ]);
  const productIds = [...new Set(((orderRows as Row[] | null) ?? []).map((order) => String(order['productId'])))].join(',');
  const [productRows, stockRows] = await Promise.all([getJson('products', `products?ids=${productIds}`), getJson('inventory', `stock?productIds=${productIds}`)]);
  const [userOf, ordersOf, notificationsOf, product, stock] = [
    byKey(userRows, 'id'),
    byKey(orderRows, 'userId'),
    byKey(notificationRows, 'userId'),
    byKey(productRows, 'id'),
    byKey(stockRows, 'productId'),
  ];
  // In the order asked for, as GraphQL answers (a batch endpoint need not keep it).
  return ids.split(',').map((id) => userOf.get(id)?.[0] ?? null).map((user) => user && ({
    name: user['name'],
    orders: (ordersOf.get(user['id']) ?? []).map((order) => {
      const found = product.get(order['productId'])?.[0];
      const level = stock.get(order['productId'])?.[0];
      return { id: order['id'], product: found ? { name: found['name'], stock: level ? { available: level['available'] } : null } : null };
    }),
    notifications: (notificationsOf.get(user['id']) ?? []).map((notification) => ({ id: notification['id'] })),
  }));
}

async function dashboard(getJson: GetJson, userId: string): Promise<unknown> {
  const id = encodeURIComponent(userId);
  const [user, userOrders, userNotifications] = await Promise.all([
    getJson('users', `users?ids=${id}`),
    getJson('orders', `orders?userIds=${id}`),
    getJson('notifications', `notifications?userIds=${id}`),
  ]);
  return { dashboard: { user: (user as unknown[] | null)?.[0] ?? null, orders: userOrders, notifications: userNotifications } };
}

/** Serves both floors on a free loopback port and tells the parent process which. */
export function serveFloor(getJson: GetJson): void {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://raw');
    try {
      const data = url.pathname === '/nested' ? { users: await nested(getJson, url.searchParams.get('ids') ?? '1') } : await dashboard(getJson, url.searchParams.get('userId') ?? '1');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    } catch {
      response.writeHead(502).end();
    }
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}
