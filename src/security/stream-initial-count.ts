import {
  GraphQLError,
  Kind,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * `@stream(initialCount:)` that is null or below 0 makes the executor throw a
 * plain Error, which would reach the client as a masked "Unexpected error" and
 * the log as a gateway bug. It is client input: refused as BAD_USER_INPUT
 * before execution, whether the count is a literal, a variable or a
 * variable's default. A `@stream(if: false)` is never looked at, as the
 * executor does not look at it either.
 */
export function useStreamInitialCount(): Plugin {
  // Most operations have no @stream at all; finding that out once per operation keeps the check off the hot path.
  const streamedFields = new WeakMap<OperationDefinitionNode, readonly FieldNode[]>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document: DocumentNode = args.document;
      const operation = getOperationAST(document, args.operationName);
      const stream = args.schema.getDirective('stream');
      if (!operation || !stream) return;
      let fields = streamedFields.get(operation);
      if (!fields) streamedFields.set(operation, (fields = fieldsWithStream(document, operation.selectionSet)));
      if (fields.length === 0) return;
      const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (coerced.errors) return; // the executor reports bad variables itself
      for (const field of fields) {
        const values = getDirectiveValues(stream, field, coerced.coerced);
        if (!values || values['if'] === false) continue;
        const count: unknown = values['initialCount'];
        if (typeof count === 'number' && count >= 0) continue;
        const error = new GraphQLError(`@stream initialCount must be 0 or more, got ${String(count)}.`, {
          nodes: field,
          extensions: { code: 'BAD_USER_INPUT' },
        });
        setResultAndStopExecution({ errors: [error] });
        return;
      }
    },
  };
}

/** The fields under `selectionSet` (through the fragments it spreads) that carry @stream. */
function fieldsWithStream(document: DocumentNode, selectionSet: SelectionSetNode): FieldNode[] {
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const found: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.directives?.some((directive) => directive.name.value === 'stream')) found.push(selection);
        if (selection.selectionSet) walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return found;
}
