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
 * What a query selects under one of its fields, read from the document
 * before the field is resolved: resolvers use it to start the loads of
 * children they can already key, so a child does not wait for its parent's
 * own upstream call, and what the query did not select is never loaded.
 * Fragments (inline and spread) are looked through; @skip/@include honoured.
 */
export interface Selection {
  /** The nodes of one response field (several when the query repeats the field). */
  readonly nodes: readonly FieldNode[];
  readonly fragments: GraphQLResolveInfo['fragments'];
  readonly variables: GraphQLResolveInfo['variableValues'];
}

/** The selection under the field being resolved. */
export function selectionOf(info: GraphQLResolveInfo): Selection {
  return { nodes: info.fieldNodes, fragments: info.fragments, variables: info.variableValues };
}

/**
 * The fields selected under `selection`, by field name, each with the
 * selection under it. Remembered per document nodes and variables: the AST is
 * shared by every request that sends the same document, variables are not.
 */
export function childSelections(selection: Selection): ReadonlyMap<string, Selection> {
  let byVariables = cache.get(selection.nodes);
  if (!byVariables) cache.set(selection.nodes, (byVariables = new WeakMap()));
  let children = byVariables.get(selection.variables);
  if (!children) byVariables.set(selection.variables, (children = collectChildren(selection)));
  return children;
}

const cache = new WeakMap<readonly FieldNode[], WeakMap<object, ReadonlyMap<string, Selection>>>();

function collectChildren(selection: Selection): ReadonlyMap<string, Selection> {
  const nodesByName = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (!included(node, selection.variables)) continue;
      if (node.kind === Kind.FIELD) {
        const nodes = nodesByName.get(node.name.value);
        if (nodes) nodes.push(node);
        else nodesByName.set(node.name.value, [node]);
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        collect(node.selectionSet);
      } else if (!seen.has(node.name.value)) {
        seen.add(node.name.value);
        const fragment = selection.fragments[node.name.value];
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  for (const node of selection.nodes) if (node.selectionSet) collect(node.selectionSet);
  const { fragments, variables } = selection;
  return new Map([...nodesByName].map(([name, nodes]) => [name, { nodes, fragments, variables }]));
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Selection['variables']): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.['if'] !== false;
}
