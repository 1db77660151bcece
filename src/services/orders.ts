import { z } from 'zod';
import { defineService, defineWrite, rowByKey, rowsByKey } from './define.js';
import { Id, Int32, IsoDateTime, OpaqueId } from './fields.js';

export const OrderRow = z.object({
  id: OpaqueId,
  userId: Id,
  productId: Id,
  quantity: Int32,
  total: z.number(),
  status: z.string(),
  createdAt: IsoDateTime,
});
export type OrderRow = z.infer<typeof OrderRow>;

/** Per-product sales totals: served by the orders service, which knows every order. */
export const SalesRow = z.object({ productId: Id, unitsSold: Int32, revenue: z.number() });
export type SalesRow = z.infer<typeof SalesRow>;

/** What `POST /orders` is sent. A quantity below 1 never reaches the service. */
export const PlaceOrderBody = z.object({ userId: Id, productId: Id, quantity: Int32.min(1, 'must be at least 1') });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const orders = defineService({
  name: 'orders',
  reads: {
    ordersByUserId: rowsByKey({ perKey: 'users/{key}/orders', batch: { path: 'orders', param: 'userIds' }, row: OrderRow, keyField: 'userId' }),
    salesByProductId: rowByKey({ perKey: 'products/{key}/sales', batch: { path: 'sales', param: 'productIds' }, row: SalesRow, keyField: 'productId' }),
  },
  writes: {
    placeOrder: defineWrite({
      path: 'orders',
      body: PlaceOrderBody,
      answer: OrderRow,
      idempotency: 'key',
      // The new order joins the user's orders and the product's sales.
      changes: { ordersByUserId: ({ body }) => [body.userId], salesByProductId: ({ body }) => [body.productId] },
      belongs: (order, { body }) => order.userId === body.userId && order.productId === body.productId,
    }),
  },
});
