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
 * Hand-written because the libraries fall short: graphql-armor's cost rule
 * multiplies only by literal `first`/`last` arguments, and
 * graphql-query-complexity re-walks a fragment at every spread, so a 1 KB
 * document of fragments spreading fragments cost ~100 ms before its node cap
 * refused it. Here each fragment is priced once (its price does not depend on
 * where it is spread): linear in the document's size.
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
  const priced = new Map<string, number>();

  const selectionCost = (set: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, type);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        total += selectionCost(selection.selectionSet, condition);
      } else total += fragmentCost(selection.name.value);
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined): number => {
    const field = fieldOf(parent, node.name.value);
    if (!field || field.name.startsWith('__') || parent!.name.startsWith('__')) return 0;
    const one = 1 + (node.selectionSet ? selectionCost(node.selectionSet, getNamedType(field.type)) : 0);
    return isListType(getNullableType(field.type)) ? one * (givenLength(node, field, lengths) ?? ASSUMED_LIST_LENGTH) : one;
  };

  const fragmentCost = (name: string): number => {
    const known = priced.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    priced.set(name, 0); // a cycle (refused by validation anyway) adds nothing
    const cost = fragment ? selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)) : 0;
    priced.set(name, cost);
    return cost;
  };

  return selectionCost(operation.selectionSet, root);
}

/** Unknown fields cost nothing here: validation has refused them already. */
function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** Items in each list variable: the request's value, else the variable's default; a single value coerces to one item. */
function listLengths(definitions: readonly VariableDefinitionNode[], variables: Record<string, unknown>): Map<string, number> {
  const lengths = new Map<string, number>();
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const value = variables[name];
    if (Array.isArray(value)) lengths.set(name, value.length);
    else if (value != null) lengths.set(name, 1);
    else if (definition.defaultValue?.kind === Kind.LIST) lengths.set(name, definition.defaultValue.values.length);
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
