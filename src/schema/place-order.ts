import type { OrderRow } from '../services/orders.js';
import { orders } from '../services/orders.js';
import { newIdempotencyKey } from '../writes/idempotency-key.js';
import { builder } from './builder.js';
import { OrderRef } from './order.js';
import { checkedId } from './upstream-field.js';
import { checkedIdempotencyKey, UserErrorRef, writeField, type UserError } from './write-field.js';

/**
 * `placeOrder`: `POST /orders` with an idempotency key, the client's or a
 * fresh one, which the payload returns so that a client who saw a failure can
 * repeat the mutation and learn the outcome without ordering twice. The new
 * order's fields (its product, the product's stock) load through the
 * request's loaders like any order's.
 */
const PlaceOrderInput = builder.inputType('PlaceOrderInput', {
  fields: (t) => ({
    userId: t.id({ required: true }),
    productId: t.id({ required: true }),
    quantity: t.int({ required: true }),
  }),
});

interface PlaceOrderOutcome {
  readonly order: OrderRow | null;
  readonly idempotencyKey: string;
  readonly userErrors: readonly UserError[];
}

const PlaceOrderPayload = builder.objectRef<PlaceOrderOutcome>('PlaceOrderPayload').implement({
  fields: (t) => ({
    order: t.expose('order', { type: OrderRef, nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey'),
    userErrors: t.expose('userErrors', { type: [UserErrorRef] }),
  }),
});

const INPUT_FIELDS = new Set(['userId', 'productId', 'quantity']);

builder.mutationField('placeOrder', (t) =>
  t.field({
    type: PlaceOrderPayload,
    args: {
      input: t.arg({ type: PlaceOrderInput, required: true }),
      idempotencyKey: t.arg.string(),
    },
    resolve: async (_root, { input, idempotencyKey }, ctx, info) => {
      const key = idempotencyKey == null ? newIdempotencyKey() : checkedIdempotencyKey(idempotencyKey, 'idempotencyKey');
      const body = { userId: checkedId(input.userId, 'input.userId'), productId: checkedId(input.productId, 'input.productId'), quantity: input.quantity };
      const { data, userErrors } = await writeField(
        ctx,
        info,
        orders.writes.placeOrder,
        { input: { body }, idempotencyKey: key, mutation: info.fieldName },
        {
          dataField: 'order',
          argumentPath: (field) => (field === 'idempotencyKey' ? ['idempotencyKey'] : INPUT_FIELDS.has(field) ? ['input', field] : undefined),
        },
      );
      return { order: data, idempotencyKey: key, userErrors };
    },
  }),
);
