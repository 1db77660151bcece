import {
  Kind,
  getNamedType,
  getNullableType,
  getOperationAST,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Items assumed in a list whose length the operation does not give: a user's orders, their notifications. */
export const ASSUMED_LIST_LENGTH = 10;

/** Past this many fields looked at, the operation is priced as too dear to run: its shape, not its answer, is the threat. */
const MAX_FIELDS_VISITED = 100_000;

/**
 * The cost of an operation with these variables: about how many values its
 * answer holds. A field costs 1 plus its selection, and a list field
 * multiplies that by its length, which is the length of the list argument it
 * is given (`users(ids:)`) or ASSUMED_LIST_LENGTH. So
 * `users(ids: $ids) { name orders { id } }` costs |$ids| x (1 + 1 + 10 x 2):
 * the cost of one document grows with the ids each request sends, which is
 * why it is computed per request rather than as a (cached) validation rule.
 * Introspection and `__typename` cost nothing: the depth rules bound
 * introspection, and it calls no upstream. `@skip`/`@include` are not
 * evaluated: a field counts even if it will be skipped.
 *
 * Fields are priced as execution merges them: the fields of one response key
 * (written twice, or brought by several fragments) are one value, their
 * selections merged, and a fragment spread twice into one selection counts
 * once, so a query written with shared fragments costs what its answer
 * holds. Not a deferred fragment: the executor runs and sends each `@defer`
 * apart, so each counts, however often it is written. A merged selection is priced once however often it recurs (memo by
 * the selection nodes it merges), which keeps documents of fragments spreading
 * fragments linear; MAX_FIELDS_VISITED bounds the rest.
 *
 * Hand-written because the libraries fall short: graphql-armor's cost rule
 * multiplies only by literal `first`/`last` arguments, and
 * graphql-query-complexity re-walks a fragment at every spread, so a 1 KB
 * document of fragments spreading fragments cost ~100 ms before its node cap
 * refused it.
 *
 * `undefined` when the document has no such operation (execution reports it).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null): number | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const lengths = listLengths(operation.variableDefinitions ?? [], variables);
  const ids = new Map<SelectionSetNode, number>();
  const priced = new Map<string, number>();
  let visited = 0;

  /**
   * The merged selection of these sets on `type`: each response key once, each with the sets under it; and the
   * deferred fragments, which the executor neither merges nor spreads once: each `@defer` is run and sent on its own.
   */
  const collect = (sets: readonly SelectionSetNode[], type: GraphQLNamedType | undefined) => {
    const groups = new Map<string, { node: FieldNode; parent: GraphQLNamedType | undefined; sets: SelectionSetNode[] }>();
    const deferred: Array<{ set: SelectionSetNode; type: GraphQLNamedType | undefined }> = [];
    const spread = new Set<string>();
    const visit = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          visited++;
          // Keyed by the parent type too: on an abstract type, two fragments may give one key to fields of different types.
          const key = `${parent?.name}.${selection.alias?.value ?? selection.name.value}`;
          const group = groups.get(key) ?? { node: selection, parent, sets: [] };
          if (selection.selectionSet) group.sets.push(selection.selectionSet);
          groups.set(key, group);
          continue;
        }
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        const inner = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (!fragment) continue;
        // `@defer(if: false)` too: priced apart it costs at least as much as merged, never less.
        if (selection.directives?.some((directive) => directive.name.value === 'defer')) deferred.push({ set: fragment.selectionSet, type: inner });
        else if (selection.kind === Kind.INLINE_FRAGMENT) visit(fragment.selectionSet, inner);
        else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value); // a cycle (refused by validation anyway) ends here too
          visit(fragment.selectionSet, inner);
        }
      }
    };
    for (const set of sets) visit(set, type);
    return { groups: groups.values(), deferred };
  };

  const mergedCost = (sets: readonly SelectionSetNode[], type: GraphQLNamedType | undefined): number => {
    const memo = `${type?.name}:${sets.map((set) => ids.get(set) ?? ids.set(set, ids.size).size - 1).join(',')}`;
    const known = priced.get(memo);
    if (known !== undefined) return known;
    const { groups, deferred } = collect(sets, type);
    let total = 0;
    for (const { node, parent, sets: below } of groups) {
      if (visited > MAX_FIELDS_VISITED) return Infinity;
      const field = fieldOf(parent, node.name.value);
      if (!field || field.name.startsWith('__') || parent!.name.startsWith('__')) continue;
      const one = 1 + (below.length > 0 ? mergedCost(below, getNamedType(field.type)) : 0);
      total += isListType(getNullableType(field.type)) ? one * (givenLength(node, field, lengths) ?? ASSUMED_LIST_LENGTH) : one;
    }
    for (const part of deferred) total += mergedCost([part.set], part.type);
    priced.set(memo, total);
    return total;
  };

  const cost = mergedCost([operation.selectionSet], root);
  // Not the sum: a list given no items multiplies the Infinity below it by 0, and NaN passes every limit.
  return visited > MAX_FIELDS_VISITED ? Infinity : cost;
}

/** Unknown fields cost nothing here: validation has refused them already. */
function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** Items in each list variable: the request's value, else the variable's default; a single value (sent or default) coerces to one item. */
function listLengths(definitions: readonly VariableDefinitionNode[], variables: Record<string, unknown>): Map<string, number> {
  const lengths = new Map<string, number>();
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const value = variables[name];
    if (Array.isArray(value)) lengths.set(name, value.length);
    else if (value != null) lengths.set(name, 1);
    else if (definition.defaultValue?.kind === Kind.LIST) lengths.set(name, definition.defaultValue.values.length);
    else if (definition.defaultValue && definition.defaultValue.kind !== Kind.NULL) lengths.set(name, 1);
  }
  return lengths;
}

/** Length of the list argument this field is given, if it has one. */
function givenLength(node: FieldNode, field: GraphQLField<unknown, unknown>, lengths: Map<string, number>): number | undefined {
  for (const argument of node.arguments ?? []) {
    const definition = field.args.find((arg) => arg.name === argument.name.value);
    if (definition && isListType(getNullableType(definition.type))) return lengthOf(argument.value, lengths);
  }
  return undefined;
}

function lengthOf(value: ValueNode, lengths: Map<string, number>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) return lengths.get(value.name.value) ?? 0;
  return value.kind === Kind.NULL ? 0 : 1;
}
