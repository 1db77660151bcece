import { responsePathAsArray } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ProductRow } from '../services/products.js';
import { builder } from './builder.js';
import { entityById } from './entities.js';
import { selectionOf, type Selection } from './lookahead.js';
import { startSelectedChildren } from './prefetch.js';
import { checkedId, checkedIds, nullOnFailure } from './upstream-field.js';

export const ProductRef = builder.objectRef<ProductRow>('Product').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    price: t.exposeFloat('price'),
  }),
});

/** A product by id, with the loads of its selected children (stock, sales) started alongside. */
export function loadProduct(ctx: GatewayContext, id: string, selection: Selection): Promise<ProductRow | null> {
  startSelectedChildren(ProductRef, ctx, id, selection);
  return ctx.loaders.productById.load(id);
}

// A federation router's `_entities` reads through the same batched load as products(ids).
entityById(ProductRef, loadProduct);

builder.queryFields((t) => ({
  product: t.field({
    type: ProductRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx, info) => nullOnFailure(ctx, info, loadProduct(ctx, checkedId(id, 'id'), selectionOf(info))),
  }),
  products: t.field({
    type: [ProductRef],
    nullable: { list: false, items: true },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, ctx, info) => {
      const path = responsePathAsArray(info.path);
      const selection = selectionOf(info);
      return checkedIds(ids, 'ids', ctx.maxIdsPerList).map((id, index) =>
        nullOnFailure(ctx, info, loadProduct(ctx, id, selection), [...path, index]),
      );
    },
  }),
}));
