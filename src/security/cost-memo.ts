import { getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { operationCost } from './operation-cost.js';

// Bounds what one document keeps: a list variable sent with every length up to MAX_IDS_PER_LIST adds one price each.
const PRICES_PER_DOCUMENT = 64;
const prices = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number | undefined>>>();

/**
 * operationCost, kept per document for as long as the document is (Yoga's
 * parse cache hands out the same document for the same text). Variables
 * change a cost only through how many items each one holds (a list's length;
 * a single value, or none and the default), so the price is kept per
 * operation name and that shape of the variables, never their values.
 */
export function memoOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string | null,
): number | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const known = pricesOf(schema, document);
  const key = `${operationName ?? ''}\n${shapeOf(operation, variables)}`;
  if (known.has(key)) return known.get(key);
  const cost = operationCost(schema, document, variables, operationName);
  if (known.size < PRICES_PER_DOCUMENT) known.set(key, cost);
  return cost;
}

function pricesOf(schema: GraphQLSchema, document: DocumentNode): Map<string, number | undefined> {
  let bySchema = prices.get(schema);
  if (!bySchema) prices.set(schema, (bySchema = new WeakMap()));
  let known = bySchema.get(document);
  if (!known) bySchema.set(document, (known = new Map()));
  return known;
}

/**
 * The item count of each variable the operation declares (others change nothing, and are not kept): `n` for a list,
 * `1` for one value, `-` for none (its default applies).
 */
function shapeOf(operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  let shape = '';
  for (const definition of operation.variableDefinitions ?? []) {
    const value = variables[definition.variable.name.value];
    shape += `${Array.isArray(value) ? value.length : value == null ? '-' : 1},`;
  }
  return shape;
}
