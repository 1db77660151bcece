import type { StockRow } from '../upstream/endpoints.js';
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

const stockOfProduct = keyedChild('Product', 'stock', (ctx, productId) => ctx.loaders.stockByProductId.load(productId));

builder.objectField(ProductRef, 'stock', (t) =>
  t.field({
    type: StockRef,
    nullable: true,
    resolve: (product, _args, ctx, info) => nullOnFailure(ctx, info, stockOfProduct(ctx, product.id)),
  }),
);
