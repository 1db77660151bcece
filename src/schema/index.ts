import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import { nullEachEntityOnFailure } from './entities.js';
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

/**
 * The Federation v2 spec version this subgraph links to: the newest that
 * every tool it is checked with understands (@apollo/subgraph, Hive Gateway,
 * and @theguild/federation-composition, which knows up to v2.9).
 */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.9';

let subgraph: GraphQLSchema | undefined;

/**
 * The same types printed as an Apollo Federation v2 subgraph (`/subgraph`):
 * the gateway's schema plus `_service { sdl }`, `_entities` and `_Any`, with
 * `@key` on the entities (entities.ts). Built once per process, only when
 * FEDERATION=true asks for it.
 */
export function subgraphSchema(): GraphQLSchema {
  return (subgraph ??= nullEachEntityOnFailure(builder.toSubGraphSchema({ linkUrl: FEDERATION_SPEC_URL })));
}
