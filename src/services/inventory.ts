import { z } from 'zod';
import { defineService, rowByKey } from './define.js';
import { Id, Int32 } from './fields.js';

export const StockRow = z.object({ productId: Id, available: Int32, warehouse: z.string().nullish() });
export type StockRow = z.infer<typeof StockRow>;

export const inventory = defineService({
  name: 'inventory',
  reads: {
    stockByProductId: rowByKey({ perKey: 'products/{key}/stock', batch: { path: 'stock', param: 'productIds' }, row: StockRow, keyField: 'productId' }),
  },
});
