import type { NotificationRow } from '../services/notifications.js';
import { builder } from './builder.js';
import { keyedChild } from './prefetch.js';
import { nullOnFailure } from './upstream-field.js';
import { UserRef } from './user.js';

export const NotificationRef = builder.objectRef<NotificationRow>('Notification').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    message: t.exposeString('message'),
    read: t.exposeBoolean('read'),
    createdAt: t.exposeString('createdAt'),
  }),
});

export const notificationsOfUser = keyedChild(UserRef, 'notifications', (ctx, userId) => ctx.loaders.notificationsByUserId.load(userId));

builder.objectField(UserRef, notificationsOfUser.field, (t) =>
  t.field({
    type: [NotificationRef],
    nullable: true,
    resolve: (user, _args, ctx, info) => nullOnFailure(ctx, info, notificationsOfUser.load(ctx, user.id)),
  }),
);
