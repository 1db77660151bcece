import type { NotificationRow } from '../services/notifications.js';
import { notifications } from '../services/notifications.js';
import { builder } from './builder.js';
import { NotificationRef } from './notification.js';
import { checkedId, checkedIds } from './upstream-field.js';
import { UserErrorRef, writeField, type UserError } from './write-field.js';

/**
 * `markNotificationsRead`: `POST /users/{id}/notifications/read`. Marking as
 * read again changes nothing more, so it needs no idempotency key and is
 * retried like a read. The payload lists the named notifications that are
 * the user's, now read.
 */
interface MarkNotificationsReadOutcome {
  readonly notifications: readonly NotificationRow[] | null;
  readonly userErrors: readonly UserError[];
}

const MarkNotificationsReadPayload = builder.objectRef<MarkNotificationsReadOutcome>('MarkNotificationsReadPayload').implement({
  fields: (t) => ({
    notifications: t.expose('notifications', { type: [NotificationRef], nullable: true }),
    userErrors: t.expose('userErrors', { type: [UserErrorRef] }),
  }),
});

builder.mutationField('markNotificationsRead', (t) =>
  t.field({
    type: MarkNotificationsReadPayload,
    args: {
      userId: t.arg.id({ required: true }),
      ids: t.arg.idList({ required: true }),
    },
    resolve: async (_root, args, ctx, info) => {
      const userId = checkedId(args.userId, 'userId');
      const ids = checkedIds(args.ids, 'ids', ctx.maxIdsPerList);
      const { data, userErrors } = await writeField(
        ctx,
        info,
        notifications.writes.markNotificationsRead,
        { input: { key: userId, body: { ids } }, mutation: info.fieldName },
        { dataField: 'notifications', argumentPath: (field) => (field === 'ids' || field === 'userId' ? [field] : undefined) },
      );
      return { notifications: data, userErrors };
    },
  }),
);
