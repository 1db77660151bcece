import { z } from 'zod';
import { defineService, defineWrite, rowsByKey } from './define.js';
import { Id, IsoDateTime, OpaqueId } from './fields.js';

export const NotificationRow = z.object({
  id: OpaqueId,
  userId: Id,
  message: z.string(),
  read: z.boolean(),
  createdAt: IsoDateTime,
});
export type NotificationRow = z.infer<typeof NotificationRow>;

export const notifications = defineService({
  name: 'notifications',
  reads: {
    notificationsByUserId: rowsByKey({
      perKey: 'users/{key}/notifications',
      batch: { path: 'notifications', param: 'userIds' },
      row: NotificationRow,
      keyField: 'userId',
    }),
  },
  writes: {
    markNotificationsRead: defineWrite({
      path: 'users/{key}/notifications/read',
      body: z.object({ ids: z.array(OpaqueId) }),
      answer: z.array(NotificationRow),
      // Marking as read twice marks nothing more.
      idempotency: 'natural',
      changes: { notificationsByUserId: ({ key }) => [key!] },
      belongs: (rows, { key, body }) => rows.every((row) => row.userId === key && body.ids.includes(row.id)),
    }),
  },
});
