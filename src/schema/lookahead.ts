import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * The names of the fields selected under the current field, through inline
 * fragments and fragment spreads, honouring @skip/@include. Resolvers use it
 * to start the loads of child fields whose key they already hold, so a child
 * does not wait for its parent's own upstream call; what the query did not
 * select is never loaded.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): ReadonlySet<string> {
  // The AST is shared by every request that sends the same document; variables are not.
  let byVariables = cache.get(info.fieldNodes);
  if (!byVariables) cache.set(info.fieldNodes, (byVariables = new WeakMap()));
  let names = byVariables.get(info.variableValues);
  if (!names) {
    names = new Set();
    for (const node of info.fieldNodes) {
      if (node.selectionSet) collect(node.selectionSet, info, names, new Set());
    }
    byVariables.set(info.variableValues, names);
  }
  return names;
}

const cache = new WeakMap<readonly FieldNode[], WeakMap<object, Set<string>>>();

function collect(set: SelectionSetNode, info: GraphQLResolveInfo, into: Set<string>, seen: Set<string>): void {
  for (const selection of set.selections) {
    if (!included(selection, info)) continue;
    switch (selection.kind) {
      case Kind.FIELD:
        into.add(selection.name.value);
        break;
      case Kind.INLINE_FRAGMENT:
        collect(selection.selectionSet, info, into, seen);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (fragment && !seen.has(name)) {
          seen.add(name);
          collect(fragment.selectionSet, info, into, seen);
        }
        break;
      }
    }
  }
}

function included(node: Parameters<typeof getDirectiveValues>[1], info: GraphQLResolveInfo): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, info.variableValues);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues);
  return include?.['if'] !== false;
}
