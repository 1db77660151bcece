import type { OrderRow, SalesRow } from '../services/orders.js';
import { builder } from './builder.js';
import { selectionOf } from './lookahead.js';
import { keyedChild, rowChild } from './prefetch.js';
import { loadProduct, ProductRef } from './product.js';
import { nullOnFailure } from './upstream-field.js';
import { UserRef } from './user.js';

export const OrderRef = builder.objectRef<OrderRow>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    productId: t.exposeID('productId'),
    quantity: t.exposeInt('quantity'),
    total: t.exposeFloat('total'),
    status: t.exposeString('status'),
    createdAt: t.exposeString('createdAt'),
  }),
});

export const SalesRef = builder.objectRef<SalesRow>('Sales').implement({
  fields: (t) => ({
    productId: t.exposeID('productId'),
    unitsSold: t.exposeInt('unitsSold'),
    revenue: t.exposeFloat('revenue'),
  }),
});

export const ordersOfUser = keyedChild(UserRef, 'orders', (ctx, userId) => ctx.loaders.ordersByUserId.load(userId), OrderRef);
const productOfOrder = rowChild(OrderRef, 'product', (ctx, order, selection) => loadProduct(ctx, order.productId, selection));
const sales = keyedChild(ProductRef, 'sales', (ctx, productId) => ctx.loaders.salesByProductId.load(productId));

builder.objectField(UserRef, ordersOfUser.field, (t) =>
  t.field({
    type: [OrderRef],
    nullable: true,
    resolve: (user, _args, ctx, info) => nullOnFailure(ctx, info, ordersOfUser.load(ctx, user.id)),
  }),
);

builder.objectField(OrderRef, productOfOrder.field, (t) =>
  t.field({
    type: ProductRef,
    nullable: true,
    resolve: (order, _args, ctx, info) => nullOnFailure(ctx, info, productOfOrder.load(ctx, order, selectionOf(info))),
  }),
);

builder.objectField(ProductRef, sales.field, (t) =>
  t.field({
    type: SalesRef,
    nullable: true,
    resolve: (product, _args, ctx, info) => nullOnFailure(ctx, info, sales.load(ctx, product.id)),
  }),
);
