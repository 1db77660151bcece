import { Kind, type FieldNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { operationRefused } from './refusal.js';

export interface DepthLimits {
  readonly maxDepth: number;
  /** For the subtree of an introspection root field (`__schema`, `__type`). */
  readonly maxIntrospectionDepth: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Refuses an operation whose answer would nest deeper than the limit.
 * Fragments add no depth of their own (they do not nest the answer). Unlike
 * graphql-armor's rule, introspection is measured too, against its own limit:
 * GraphiQL's introspection query is 15 deep, while the cyclic
 * `__schema { types { fields { type { fields ... } } } }` is as deep as the
 * attacker likes.
 *
 * Each fragment's depth is computed once, so a "fragment bomb" (fragments
 * spreading the previous one many times) costs linear time; a fragment
 * cycle counts as depth 0 here and is refused by graphql's NoFragmentCycles.
 */
export function depthLimitRule(limits: DepthLimits): ValidationRule {
  return (context) => {
    const meter = depthMeter(context, Math.max(limits.maxDepth, limits.maxIntrospectionDepth) + 1);
    return {
      OperationDefinition(operation) {
        for (const { field, depth } of rootDepths(operation.selectionSet, meter)) {
          const introspection = INTROSPECTION_ROOTS.has(field.name.value);
          const limit = introspection ? limits.maxIntrospectionDepth : limits.maxDepth;
          if (depth > limit) {
            const what = introspection ? 'Introspection depth' : 'Depth';
            // `depth` is capped while measuring, so the message says "more than", not how much.
            const message = `${what} limit of ${limit} exceeded: "${field.name.value}" nests more than ${limit} levels deep.`;
            context.reportError(operationRefused(introspection ? 'introspectionDepth' : 'depth', message, field));
            return false; // one refusal per operation is enough; skip the rest of it
          }
        }
        return undefined;
      },
    };
  };
}

interface DepthMeter {
  /** Depth of a selection set, capped: enough to know a limit is exceeded. */
  depthOf(set: SelectionSetNode | undefined): number;
  fragment(name: string): SelectionSetNode | undefined;
}

/** Root fields (through fragments) with the depth of each. */
function rootDepths(set: SelectionSetNode, meter: DepthMeter): Array<{ field: FieldNode; depth: number }> {
  const out: Array<{ field: FieldNode; depth: number }> = [];
  const walked = new Set<SelectionSetNode>(); // each root-level fragment once, cycles included
  const walk = (selections: SelectionSetNode | undefined) => {
    if (!selections || walked.has(selections)) return;
    walked.add(selections);
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) out.push({ field: selection, depth: 1 + meter.depthOf(selection.selectionSet) });
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else walk(meter.fragment(selection.name.value));
    }
  };
  walk(set);
  return out;
}

function depthMeter(context: ValidationContext, cap: number): DepthMeter {
  const fragmentDepth = new Map<string, number>();
  const inProgress = new Set<string>();
  const fragment = (name: string) => context.getFragment(name)?.selectionSet;

  const depthOf = (set: SelectionSetNode | undefined, level = 0): number => {
    if (!set || level >= cap) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      let depth: number;
      if (selection.kind === Kind.FIELD) depth = 1 + depthOf(selection.selectionSet, level + 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) depth = depthOf(selection.selectionSet, level);
      else depth = spreadDepth(selection.name.value);
      deepest = Math.max(deepest, depth);
      if (level + deepest >= cap) break;
    }
    return deepest;
  };

  // A fragment's depth does not depend on where it is spread, so it is computed once (from level 0).
  const spreadDepth = (name: string): number => {
    const known = fragmentDepth.get(name);
    if (known !== undefined) return known;
    if (inProgress.has(name)) return 0;
    inProgress.add(name);
    const depth = depthOf(fragment(name));
    inProgress.delete(name);
    fragmentDepth.set(name, depth);
    return depth;
  };

  return { depthOf: (set) => depthOf(set), fragment };
}
