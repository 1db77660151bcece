import { z } from 'zod';
import type { ServiceName } from '../config.js';
import { isSafeId } from './ids.js';

/**
 * The REST contract (CONTRACT.md section 1) as data: for each key-based read,
 * its service, its per-key and batch endpoints, and the documented row shape.
 * Bodies are validated against these shapes, so a row without `total` is a
 * BAD_RESPONSE and never a wrong answer.
 */

// Ids that come back from upstreams are used as keys for further calls: they obey the same rules as client ids.
const Id = z.string().refine(isSafeId, 'not a usable id');
// Ids that are only shown, never sent upstream again.
const OpaqueId = z.string();
// GraphQL's Int is 32-bit: a larger number would fail serialisation as a gateway error, not as this upstream's bad response.
const Int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const IsoDateTime = z.iso.datetime({ offset: true, local: false });

export const UserRow = z.object({ id: Id, name: z.string(), email: z.string() });
export const OrderRow = z.object({
  id: OpaqueId,
  userId: Id,
  productId: Id,
  quantity: Int32,
  total: z.number(),
  status: z.string(),
  createdAt: IsoDateTime,
});
export const NotificationRow = z.object({
  id: OpaqueId,
  userId: Id,
  message: z.string(),
  read: z.boolean(),
  createdAt: IsoDateTime,
});
export const ProductRow = z.object({ id: Id, name: z.string(), price: z.number() });
export const StockRow = z.object({ productId: Id, available: Int32, warehouse: z.string().nullish() });
export const SalesRow = z.object({ productId: Id, unitsSold: Int32, revenue: z.number() });

export type UserRow = z.infer<typeof UserRow>;
export type OrderRow = z.infer<typeof OrderRow>;
export type NotificationRow = z.infer<typeof NotificationRow>;
export type ProductRow = z.infer<typeof ProductRow>;
export type StockRow = z.infer<typeof StockRow>;
export type SalesRow = z.infer<typeof SalesRow>;

/**
 * A read of rows by key. Its per-key endpoint returns one row (404 when
 * unknown), or, for reads loaded with `manyByKey`, the array of rows that
 * carry the key.
 */
export interface KeyedRead<Row extends object> {
  readonly service: ServiceName;
  /** Per-key route, `{key}` standing for the one path segment. */
  readonly perKey: string;
  /** Batch route and the query parameter that carries the comma-separated keys. */
  readonly batch: { readonly path: string; readonly param: string };
  readonly row: z.ZodType<Row>;
  /** The row field that holds the key, used to match rows to keys (never position). */
  readonly keyField: keyof Row & string;
}

function read<Row extends object>(spec: KeyedRead<Row>): KeyedRead<Row> {
  return spec;
}

export const READS = {
  userById: read({ service: 'users', perKey: 'users/{key}', batch: { path: 'users', param: 'ids' }, row: UserRow, keyField: 'id' }),
  ordersByUserId: read({ service: 'orders', perKey: 'users/{key}/orders', batch: { path: 'orders', param: 'userIds' }, row: OrderRow, keyField: 'userId' }),
  notificationsByUserId: read({ service: 'notifications', perKey: 'users/{key}/notifications', batch: { path: 'notifications', param: 'userIds' }, row: NotificationRow, keyField: 'userId' }),
  productById: read({ service: 'products', perKey: 'products/{key}', batch: { path: 'products', param: 'ids' }, row: ProductRow, keyField: 'id' }),
  stockByProductId: read({ service: 'inventory', perKey: 'products/{key}/stock', batch: { path: 'stock', param: 'productIds' }, row: StockRow, keyField: 'productId' }),
  salesByProductId: read({ service: 'orders', perKey: 'products/{key}/sales', batch: { path: 'sales', param: 'productIds' }, row: SalesRow, keyField: 'productId' }),
} as const;
