import {
  GraphQLError,
  Kind,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  visit,
  type DocumentNode,
  type FieldNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * `@stream(initialCount:)` below 0 makes the executor throw a plain Error,
 * which would reach the client as a masked "Unexpected error" and the log as
 * a gateway bug. It is client input: refused as BAD_USER_INPUT before
 * execution, whether the count is a literal or a variable.
 */
export function useStreamInitialCount(): Plugin {
  // Most documents have no @stream at all; finding that out once per document keeps the check off the hot path.
  const streamedFields = new WeakMap<DocumentNode, readonly FieldNode[]>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document: DocumentNode = args.document;
      let fields = streamedFields.get(document);
      if (!fields) streamedFields.set(document, (fields = fieldsWithStream(document)));
      const stream = args.schema.getDirective('stream');
      if (fields.length === 0 || !stream) return;
      const operation = getOperationAST(document, args.operationName);
      const coerced = getVariableValues(args.schema, operation?.variableDefinitions ?? [], args.variableValues ?? {});
      if (coerced.errors) return; // the executor reports bad variables itself
      for (const field of fields) {
        const count = getDirectiveValues(stream, field, coerced.coerced)?.['initialCount'];
        if (typeof count === 'number' && count < 0) {
          setResultAndStopExecution({
            errors: [new GraphQLError(`@stream initialCount must be 0 or more, got ${count}.`, { nodes: field, extensions: { code: 'BAD_USER_INPUT' } })],
          });
          return;
        }
      }
    },
  };
}

function fieldsWithStream(document: DocumentNode): FieldNode[] {
  const fields: FieldNode[] = [];
  visit(document, {
    [Kind.FIELD](node) {
      if (node.directives?.some((directive) => directive.name.value === 'stream')) fields.push(node);
    },
  });
  return fields;
}
