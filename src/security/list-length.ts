import {
  Kind,
  getNullableType,
  isListType,
  typeFromAST,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationRefused } from './refusal.js';

/**
 * Every list an operation passes as an argument (`users(ids)`,
 * `products(ids)`, `markNotificationsRead(ids)`, and on `/subgraph` a
 * router's `_entities(representations)`) is at most `maxItems` long, checked before execution so
 * that a 10,000-id list costs no upstream call at all. The resolvers check
 * again (checkedIds); this is the early, cheap refusal.
 *
 * Two halves, because Yoga caches validation results per document: literal
 * lists are a validation rule (they are part of the document); lists in
 * variables are checked by a plugin just before execution, per request.
 */
export function listLengthRule(maxItems: number): ValidationRule {
  return (context) => ({
    // A variable's default is a literal too: `($ids: [ID!]! = [...])`.
    VariableDefinition(node) {
      const value = node.defaultValue;
      if (value?.kind === Kind.LIST && value.values.length > maxItems) {
        context.reportError(tooLong(`$${node.variable.name.value}`, value.values.length, maxItems, node));
      }
    },
    Argument(node) {
      const argument = context.getArgument();
      if (!argument || !isListType(getNullableType(argument.type))) return;
      if (node.value.kind === Kind.LIST && node.value.values.length > maxItems) {
        context.reportError(tooLong(`"${node.name.value}"`, node.value.values.length, maxItems, node));
      }
    },
  });
}

export function useVariableListLength(maxItems: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document: DocumentNode = args.document;
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION &&
          (args.operationName == null || definition.name?.value === args.operationName),
      );
      const values: Record<string, unknown> = args.variableValues ?? {};
      for (const definition of operation?.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        const value = values[name];
        if (!Array.isArray(value) || value.length <= maxItems) continue;
        if (!isListVariable(args.schema, definition.type)) continue;
        setResultAndStopExecution({ errors: [tooLong(`$${name}`, value.length, maxItems, definition)] });
        return;
      }
    },
  };
}

function isListVariable(schema: GraphQLSchema, type: Parameters<typeof typeFromAST>[1]): boolean {
  const resolved = typeFromAST(schema, type);
  return resolved !== undefined && isListType(getNullableType(resolved));
}

function tooLong(what: string, length: number, maxItems: number, node: Parameters<typeof operationRefused>[2]) {
  return operationRefused('listLength', `List limit of ${maxItems} exceeded: ${what} has ${length} items.`, node);
}
