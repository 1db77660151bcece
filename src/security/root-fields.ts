import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { operationRefused } from './refusal.js';

/**
 * Refuses an operation with more top-level fields than the limit. Each root
 * field is a separate entry point into the upstreams, so this bounds the
 * fan-out of one request (Apollo Router's `max_root_fields`). Fields are
 * counted by response key, as graphql merges same-key fields into one.
 */
export function rootFieldsRule(maxRootFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const keys = new Set<string>();
      const walked = new Set<SelectionSetNode>(); // each fragment once, cycles included
      const walk = (set: SelectionSetNode | undefined) => {
        if (!set || walked.has(set)) return;
        walked.add(set);
        for (const selection of set.selections) {
          if (selection.kind === Kind.FIELD) keys.add((selection.alias ?? selection.name).value);
          else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
          else walk(context.getFragment(selection.name.value)?.selectionSet);
        }
      };
      walk(operation.selectionSet);
      if (keys.size > maxRootFields) {
        context.reportError(
          operationRefused('rootFields', `Root fields limit of ${maxRootFields} exceeded: the operation has ${keys.size}.`, operation),
        );
        return false;
      }
      return undefined;
    },
  });
}
