import type { ReviewRow } from '../services/reviews.js';
import { builder } from './builder.js';
import { selectionOf } from './lookahead.js';
import { keyedChild, rowChild } from './prefetch.js';
import { ProductRef } from './product.js';
import { nullOnFailure } from './upstream-field.js';
import { loadUser, UserRef } from './user.js';

export const ReviewRef = builder.objectRef<ReviewRow>('Review').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    productId: t.exposeID('productId'),
    userId: t.exposeID('userId'),
    rating: t.exposeInt('rating'),
    comment: t.exposeString('comment'),
    createdAt: t.exposeString('createdAt'),
  }),
});

const reviewsOfProduct = keyedChild(ProductRef, 'reviews', (ctx, productId) => ctx.loaders.reviewsByProductId.load(productId), ReviewRef);
// Batched with every other user of the request that is asked for in the same tick.
const authorOfReview = rowChild(ReviewRef, 'author', (ctx, review, selection) => loadUser(ctx, review.userId, selection));

builder.objectField(ProductRef, reviewsOfProduct.field, (t) =>
  t.field({
    type: [ReviewRef],
    nullable: true,
    resolve: (product, _args, ctx, info) => nullOnFailure(ctx, info, reviewsOfProduct.load(ctx, product.id)),
  }),
);

builder.objectField(ReviewRef, authorOfReview.field, (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    resolve: (review, _args, ctx, info) => nullOnFailure(ctx, info, authorOfReview.load(ctx, review, selectionOf(info))),
  }),
);
