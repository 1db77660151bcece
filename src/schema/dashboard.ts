import { builder } from './builder.js';
import { OrderRef, ordersOfUser } from './order.js';
import { NotificationRef, notificationsOfUser } from './notification.js';
import { selectionOf } from './lookahead.js';
import { checkedId, nullOnFailure } from './upstream-field.js';
import { loadUser, UserRef } from './user.js';

/**
 * A user's landing page in one field. It holds only the user id, so its three
 * parts are loaded at the same time, each failing on its own.
 */
const DashboardRef = builder.objectRef<{ readonly userId: string }>('Dashboard').implement({
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: ({ userId }, _args, ctx, info) => nullOnFailure(ctx, info, loadUser(ctx, userId, selectionOf(info))),
    }),
    orders: t.field({
      type: [OrderRef],
      nullable: true,
      resolve: ({ userId }, _args, ctx, info) => nullOnFailure(ctx, info, ordersOfUser.load(ctx, userId)),
    }),
    notifications: t.field({
      type: [NotificationRef],
      nullable: true,
      resolve: ({ userId }, _args, ctx, info) => nullOnFailure(ctx, info, notificationsOfUser.load(ctx, userId)),
    }),
  }),
});

builder.queryFields((t) => ({
  dashboard: t.field({
    type: DashboardRef,
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }) => ({ userId: checkedId(userId, 'userId') }),
  }),
}));
