import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

/**
 * Bench child: the baseline. The dashboard's three upstream calls, made with
 * undici and no GraphQL, merged into one JSON answer: what a hand-written
 * endpoint costs. `GET /dashboard?userId=N`.
 */
const pool = (url: string) => new Pool(url, { connections: 64, pipelining: 1 });
const users = pool(process.env.USERS_SERVICE_URL!);
const orders = pool(process.env.ORDERS_SERVICE_URL!);
const notifications = pool(process.env.NOTIFICATIONS_SERVICE_URL!);

async function getJson(client: Pool, path: string): Promise<unknown> {
  const { statusCode, body } = await client.request({ method: 'GET', path });
  const json = await body.json();
  return statusCode === 200 ? json : null;
}

const server = http.createServer(async (request, response) => {
  const userId = new URL(request.url ?? '/', 'http://raw').searchParams.get('userId') ?? '1';
  const id = encodeURIComponent(userId);
  try {
    const [user, userOrders, userNotifications] = await Promise.all([
      getJson(users, `/users?ids=${id}`),
      getJson(orders, `/orders?userIds=${id}`),
      getJson(notifications, `/notifications?userIds=${id}`),
    ]);
    const body = JSON.stringify({ data: { dashboard: { user: (user as unknown[] | null)?.[0] ?? null, orders: userOrders, notifications: userNotifications } } });
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  } catch {
    response.writeHead(502).end();
  }
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
