import { Pool } from 'undici';
import { serveFloor, type Upstream } from './floor.js';

/**
 * Bench child: the raw floor. The floor endpoints (floor.ts) with undici
 * pools and no GraphQL: the cheapest a hand-written endpoint gets.
 */
const pool = (url: string) => new Pool(url, { connections: 64, pipelining: 1 });
const pools: Record<Upstream, Pool> = {
  users: pool(process.env.USERS_SERVICE_URL!),
  orders: pool(process.env.ORDERS_SERVICE_URL!),
  notifications: pool(process.env.NOTIFICATIONS_SERVICE_URL!),
  products: pool(process.env.PRODUCTS_SERVICE_URL!),
  inventory: pool(process.env.INVENTORY_SERVICE_URL!),
};

serveFloor(async (service, path) => {
  const { statusCode, body } = await pools[service].request({ method: 'GET', path: `/${path}` });
  const json = await body.json();
  return statusCode === 200 ? json : null;
});
