import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GatewayContext } from '../context.js';

/**
 * The Pothos builder: configuration only; the types live in one module per domain.
 * Fields are non-null unless they say otherwise (Pothos 4 defaults to nullable):
 * the contract's `ID!`/`String!` are the norm, and every upstream-backed field
 * opts into `nullable` so a failure nulls only that field.
 *
 * The federation plugin (with the directives plugin it needs) lets the same
 * types also print as an Apollo Federation subgraph (`/subgraph`, entities.ts);
 * it adds nothing to the schema that `/graphql` serves.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: { ID: { Input: string; Output: string } };
}>({ defaultFieldNullability: false, plugins: [DirectivesPlugin, FederationPlugin] });
