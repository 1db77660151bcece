import type { ServiceName } from '../config.js';
import { DEMO_UNLUCKY_USER_ID, type DemoData } from './data.js';

/** What a demo route answers: a JSON body, 404, or a fixture failure (503 with a JSON body). */
export type DemoAnswer =
  | { readonly status: 200 | 503; readonly body: unknown }
  | { readonly status: 404 };

interface DemoRoute {
  /** Path segments; `:key` matches one segment. */
  readonly pattern: readonly string[];
  /** For batch routes: the query parameter holding comma-separated keys. */
  readonly listParam?: string;
  answer(key: string | string[]): DemoAnswer;
}

const ok = (body: unknown): DemoAnswer => ({ status: 200, body });
const found = (row: unknown): DemoAnswer => (row === undefined ? { status: 404 } : ok(row));

/**
 * Batch answers come back in reverse key order, with unknown keys left out,
 * as a real upstream may: the gateway must match rows to keys itself.
 */
function batchOf<T>(lookup: (key: string) => T | readonly T[] | undefined) {
  return (keys: string | string[]) => ok([...keys].reverse().flatMap((key) => lookup(key) ?? []));
}

/** The demo's deterministic failure: any call that carries the unlucky user's notifications. */
function unluckyNotifications(answer: (keys: string | string[]) => DemoAnswer) {
  return (keys: string | string[]): DemoAnswer =>
    [keys].flat().includes(DEMO_UNLUCKY_USER_ID)
      ? { status: 503, body: { error: `demo notifications always fail for user ${DEMO_UNLUCKY_USER_ID}` } }
      : answer(keys);
}

function key(value: string | string[]): string {
  return Array.isArray(value) ? value[0]! : value;
}

export function demoRoutes(data: DemoData): Record<ServiceName, readonly DemoRoute[]> {
  return {
    users: [
      { pattern: ['users', ':key'], answer: (k) => found(data.users.get(key(k))) },
      { pattern: ['users'], listParam: 'ids', answer: batchOf((k) => data.users.get(k)) },
    ],
    orders: [
      { pattern: ['users', ':key', 'orders'], answer: (k) => found(data.ordersByUser.get(key(k))) },
      { pattern: ['orders'], listParam: 'userIds', answer: batchOf((k) => data.ordersByUser.get(k)) },
      { pattern: ['products', ':key', 'sales'], answer: (k) => found(data.sales.get(key(k))) },
      { pattern: ['sales'], listParam: 'productIds', answer: batchOf((k) => data.sales.get(k)) },
    ],
    notifications: [
      { pattern: ['users', ':key', 'notifications'], answer: unluckyNotifications((k) => found(data.notificationsByUser.get(key(k)))) },
      { pattern: ['notifications'], listParam: 'userIds', answer: unluckyNotifications(batchOf((k) => data.notificationsByUser.get(k))) },
    ],
    products: [
      { pattern: ['products', ':key'], answer: (k) => found(data.products.get(key(k))) },
      { pattern: ['products'], listParam: 'ids', answer: batchOf((k) => data.products.get(k)) },
    ],
    inventory: [
      { pattern: ['products', ':key', 'stock'], answer: (k) => found(data.stock.get(key(k))) },
      { pattern: ['stock'], listParam: 'productIds', answer: batchOf((k) => data.stock.get(k)) },
    ],
  };
}

/** Finds the route for a request and answers it; `undefined` when no route matches. */
export function answerDemoRequest(routes: readonly DemoRoute[], url: URL): DemoAnswer | undefined {
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    let matched: string | undefined;
    const fits = route.pattern.every((part, index) => {
      if (part === ':key') return (matched = segments[index]) !== undefined;
      return part === segments[index];
    });
    if (!fits) continue;
    if (route.listParam) {
      const list = url.searchParams.get(route.listParam);
      if (list === null) continue;
      return route.answer(list.split(',').filter(Boolean));
    }
    return route.answer(matched!);
  }
  return undefined;
}
