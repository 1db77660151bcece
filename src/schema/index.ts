import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Import order is field order in the printed schema: later modules add fields to earlier types.
import './user.js';
import './product.js';
import './inventory.js';
import './order.js';
import './notification.js';
import './dashboard.js';
import './review.js';
import './mark-notifications-read.js';
import './place-order.js';

builder.queryType({});
builder.mutationType({});

let schema: GraphQLSchema | undefined;

/** The gateway's schema, built once per process. */
export function gatewaySchema(): GraphQLSchema {
  return (schema ??= builder.toSchema({ sortSchema: false }));
}
