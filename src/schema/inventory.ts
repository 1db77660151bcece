import type { StockRow } from '../services/inventory.js';
import { builder } from './builder.js';
import { keyedChild } from './prefetch.js';
import { ProductRef } from './product.js';
import { nullOnFailure } from './upstream-field.js';

export const StockRef = builder.objectRef<StockRow>('Stock').implement({
  fields: (t) => ({
    productId: t.exposeID('productId'),
    available: t.exposeInt('available'),
    warehouse: t.exposeString('warehouse', { nullable: true }),
  }),
});

const stock = keyedChild(ProductRef, 'stock', (ctx, productId) => ctx.loaders.stockByProductId.load(productId));

builder.objectField(ProductRef, stock.field, (t) =>
  t.field({
    type: StockRef,
    nullable: true,
    resolve: (product, _args, ctx, info) => nullOnFailure(ctx, info, stock.load(ctx, product.id)),
  }),
);
