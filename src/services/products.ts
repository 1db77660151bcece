import { z } from 'zod';
import { defineService, rowByKey } from './define.js';
import { Id } from './fields.js';

export const ProductRow = z.object({ id: Id, name: z.string(), price: z.number() });
export type ProductRow = z.infer<typeof ProductRow>;

export const products = defineService({
  name: 'products',
  reads: {
    productById: rowByKey({ perKey: 'products/{key}', batch: { path: 'products', param: 'ids' }, row: ProductRow, keyField: 'id' }),
  },
});
