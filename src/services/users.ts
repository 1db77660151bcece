import { z } from 'zod';
import { defineService, rowByKey } from './define.js';
import { Id } from './fields.js';

export const UserRow = z.object({ id: Id, name: z.string(), email: z.string() });
export type UserRow = z.infer<typeof UserRow>;

export const users = defineService({
  name: 'users',
  reads: {
    userById: rowByKey({ perKey: 'users/{key}', batch: { path: 'users', param: 'ids' }, row: UserRow, keyField: 'id' }),
  },
});
