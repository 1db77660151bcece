import type { ObjectRef } from '@pothos/core';
import { GraphQLError, isUnionType, responsePathAsArray, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { idProblem } from '../upstream/ids.js';
import { builder } from './builder.js';
import { selectionOf, type Selection } from './lookahead.js';
import { nullOnFailure } from './upstream-field.js';

/**
 * Federation entities: the types a router may ask this subgraph for by key
 * (`_entities`). An entity is loaded by the same function as its root field
 * (`loadUser` for `user`/`users`), so fifty representations are one batch,
 * with the same in-flight sharing, cache and breaker, and with the children
 * the router selected (`... on User { orders }`) started alongside: the
 * lookahead looks through the inline fragments a router writes under
 * `_entities`, and starts only children declared on the entity's own type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema's types, whatever they are
export function entityById<Row>(ref: ObjectRef<any, Row>, load: (ctx: GatewayContext, id: string, selection: Selection) => Promise<Row | null>): void {
  builder.asEntity(ref, {
    key: builder.selection<{ id: string }>('id'),
    // Async, so that a bad id rejects this entity only: a synchronous throw would fail the whole `_entities` list.
    resolveReference: async (representation, ctx, info) => load(ctx, representationId(representation, ref.name), selectionOf(info)),
  });
}

/** A representation's id obeys the rules of a client's id: a bad one is a client input error, for that entity only. */
function representationId(representation: { readonly id?: unknown }, typeName: string): string {
  const { id } = representation;
  const problem = typeof id === 'string' ? idProblem(id) : 'is missing or not a string';
  if (problem) {
    throw new GraphQLError(`Representation of ${typeName}: the id ${problem}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return id as string;
}

/**
 * `_entities` (from @apollo/subgraph) resolves each representation on its
 * own; this makes each of them fail on its own too: an upstream failure nulls
 * that entity and is reported with its own path (`["_entities", 3]`), which a
 * router maps back to the place in its client's answer. A representation
 * that names no entity type is the client's mistake, for that entity only:
 * @apollo/subgraph would throw for the whole list, as a gateway error.
 */
export function nullEachEntityOnFailure(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) throw new Error('the subgraph schema has no _entities field to resolve');
  const resolveEach = field.resolve as GraphQLFieldResolver<unknown, GatewayContext>;
  const entityTypes = union.getTypes().map((type) => type.name);
  const notAnEntity = () => new GraphQLError(`Representation: __typename must be one of ${entityTypes.join(', ')}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  const isEntity = (representation: unknown) => entityTypes.includes((representation as { __typename?: unknown } | null)?.__typename as string);
  field.resolve = (source, args: { representations: readonly unknown[] }, ctx: GatewayContext, info) => {
    const path = responsePathAsArray(info.path);
    const representations = args.representations.filter(isEntity);
    const entities = resolveEach(source, { ...args, representations }, ctx, info) as ReadonlyArray<unknown>;
    let next = 0;
    return args.representations.map((representation, index) =>
      isEntity(representation) ? nullOnFailure(ctx, info, Promise.resolve(entities[next++]), [...path, index]) : Promise.reject(notAnEntity()),
    );
  };
  return schema;
}
