import type { Write } from '../services/define.js';
import { WRITES, type ServiceName, type WriteName } from '../services/index.js';
import type { NotificationRow } from '../services/notifications.js';
import type { OrderRow } from '../services/orders.js';
import type { DemoData } from './data.js';

/**
 * The demo upstreams' writes, carried out for real on the demo data, so the
 * demo's reads see them: a placed order joins its user's orders and its
 * product's sales; a marked notification reads `read: true`. What a real
 * orders service must do with idempotency keys (docs/upstreams.md) is done
 * here too: a key is remembered for 24 h with the order it placed; the same
 * key and body again answer that order; the same key with another body is
 * refused (409).
 */
export interface DemoWriteRequest {
  /** The route's `{key}` segment, for a route that has one. */
  readonly key?: string;
  readonly body: unknown;
  readonly idempotencyKey?: string;
}

export interface DemoWriteAnswer {
  readonly status: number;
  readonly body: unknown;
}

export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;
const MAX_QUANTITY = 100;

interface RememberedKey {
  readonly at: number;
  /** The body the key was first used with. */
  readonly body: string;
  readonly order: OrderRow;
}

export class DemoWrites {
  /** Orders placed since the demo started, oldest first. */
  readonly placedOrders: OrderRow[] = [];
  /** Oldest first (a Map keeps insertion order), so expired keys are found at the front. */
  private readonly keys = new Map<string, RememberedKey>();
  private orderSeq: number;
  private readonly handlers: { readonly [W in WriteName]: (request: DemoWriteRequest) => DemoWriteAnswer } = {
    placeOrder: (request) => this.placeOrder(request),
    markNotificationsRead: (request) => this.markNotificationsRead(request),
  };

  constructor(
    private readonly data: DemoData,
    private readonly now: () => number = Date.now,
  ) {
    const seeded = [...data.ordersByUserId.values()].flat().map((order) => /^o(\d+)$/.exec(order.id)?.[1]);
    this.orderSeq = Math.max(0, ...seeded.map(Number).filter(Number.isInteger));
  }

  /** The write a POST to these path segments of `service` is, with its route key; `undefined` when none matches. */
  route(service: ServiceName, segments: readonly string[]): { readonly write: WriteName; readonly key?: string } | undefined {
    for (const write of Object.values(WRITES) as Write[]) {
      if (write.service !== service) continue;
      const pattern = write.path.split('/');
      if (pattern.length !== segments.length) continue;
      if (!pattern.every((part, index) => part === '{key}' || part === segments[index])) continue;
      const at = pattern.indexOf('{key}');
      return { write: write.name as WriteName, ...(at >= 0 ? { key: segments[at]! } : {}) };
    }
    return undefined;
  }

  answer(write: WriteName, request: DemoWriteRequest): DemoWriteAnswer {
    return this.handlers[write](request);
  }

  private placeOrder({ body, idempotencyKey }: DemoWriteRequest): DemoWriteAnswer {
    this.forgetExpiredKeys();
    const remembered = idempotencyKey === undefined ? undefined : this.keys.get(idempotencyKey);
    if (remembered) {
      if (remembered.body !== JSON.stringify(body)) return refused(409, 'this idempotency key was used with another request');
      return { status: 200, body: remembered.order };
    }
    const { userId, productId, quantity } = (body ?? {}) as Record<string, unknown>;
    if (typeof userId !== 'string' || !this.data.userById.has(userId)) return refused(422, 'unknown user', 'userId');
    const product = typeof productId === 'string' ? this.data.productById.get(productId) : undefined;
    if (!product) return refused(422, 'unknown product', 'productId');
    if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_QUANTITY) {
      return refused(422, `quantity must be a whole number from 1 to ${MAX_QUANTITY}`, 'quantity');
    }
    const order = this.addOrder(userId, product.id, product.price, quantity as number);
    if (idempotencyKey !== undefined) this.keys.set(idempotencyKey, { at: this.now(), body: JSON.stringify(body), order });
    return { status: 201, body: order };
  }

  /** The order joins its user's orders and its product's sales. */
  private addOrder(userId: string, productId: string, price: number, quantity: number): OrderRow {
    const total = Math.round(price * quantity * 100) / 100;
    const order: OrderRow = {
      id: `o${++this.orderSeq}`,
      userId,
      productId,
      quantity,
      total,
      status: 'pending',
      createdAt: new Date(this.now()).toISOString(),
    };
    const { ordersByUserId, salesByProductId } = this.data;
    ordersByUserId.set(userId, [...(ordersByUserId.get(userId) ?? []), order]);
    const sold = salesByProductId.get(productId) ?? { productId, unitsSold: 0, revenue: 0 };
    salesByProductId.set(productId, { productId, unitsSold: sold.unitsSold + quantity, revenue: Math.round((sold.revenue + total) * 100) / 100 });
    this.placedOrders.push(order);
    return order;
  }

  private markNotificationsRead({ key, body }: DemoWriteRequest): DemoWriteAnswer {
    const ids: unknown = (body as { ids?: unknown } | null)?.ids;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return refused(422, 'ids must be a list of notification ids', 'ids');
    const named = new Set<string>(ids);
    const rows = this.data.notificationsByUserId.get(key!) ?? [];
    const marked: NotificationRow[] = rows.map((row) => (named.has(row.id) ? { ...row, read: true } : row));
    if (rows.length > 0) this.data.notificationsByUserId.set(key!, marked);
    return { status: 200, body: marked.filter((row) => named.has(row.id)) };
  }

  private forgetExpiredKeys(): void {
    const oldest = this.now() - IDEMPOTENCY_KEY_TTL_MS;
    for (const [key, { at }] of this.keys) {
      if (at > oldest) break;
      this.keys.delete(key);
    }
  }
}

function refused(status: number, error: string, field?: string): DemoWriteAnswer {
  return { status, body: field ? { error, field } : { error } };
}
