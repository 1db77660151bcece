import { z } from 'zod';
import { defineService, rowsByKey } from './define.js';
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
});
