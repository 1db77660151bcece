import { z } from 'zod';
import { defineService, rowsByKey } from './define.js';
import { Id, IsoDateTime, OpaqueId } from './fields.js';

export const ReviewRow = z.object({
  id: OpaqueId,
  productId: Id,
  userId: Id,
  rating: z.number().int().min(1).max(5),
  comment: z.string(),
  createdAt: IsoDateTime,
});
export type ReviewRow = z.infer<typeof ReviewRow>;

export const reviews = defineService({
  name: 'reviews',
  reads: {
    reviewsByProductId: rowsByKey({
      perKey: 'products/{key}/reviews',
      batch: { path: 'reviews', param: 'productIds' },
      row: ReviewRow,
      keyField: 'productId',
    }),
  },
});
