import { responsePathAsArray } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { UserRow } from '../services/users.js';
import { builder } from './builder.js';
import { entityById } from './entities.js';
import { selectionOf, type Selection } from './lookahead.js';
import { startSelectedChildren } from './prefetch.js';
import { checkedId, checkedIds, nullOnFailure } from './upstream-field.js';

export const UserRef = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
  }),
});

/** A user by id, with the loads of its selected children (orders, notifications) started alongside. */
export function loadUser(ctx: GatewayContext, id: string, selection: Selection): Promise<UserRow | null> {
  startSelectedChildren(UserRef, ctx, id, selection);
  return ctx.loaders.userById.load(id);
}

// A federation router's `_entities` reads through the same batched load as users(ids).
entityById(UserRef, loadUser);

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx, info) => nullOnFailure(ctx, info, loadUser(ctx, checkedId(id, 'id'), selectionOf(info))),
  }),
  users: t.field({
    type: [UserRef],
    nullable: { list: false, items: true },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, ctx, info) => {
      const path = responsePathAsArray(info.path);
      const selection = selectionOf(info);
      return checkedIds(ids, 'ids', ctx.maxIdsPerList).map((id, index) =>
        nullOnFailure(ctx, info, loadUser(ctx, id, selection), [...path, index]),
      );
    },
  }),
}));
