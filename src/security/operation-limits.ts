import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecurityConfig } from '../config.js';
import type { AdmissionBudget } from './admission.js';
import { depthLimitRule } from './depth-limit.js';
import { listLengthRule, useVariableListLength } from './list-length.js';
import { useCostLimit } from './cost-limit.js';
import { useStreamInitialCount } from './stream-initial-count.js';
import { operationRefused, type LimitName } from './refusal.js';
import { rootFieldsRule } from './root-fields.js';
import { useTokenLimit } from './token-limit.js';

export type OperationLimits = Pick<
  SecurityConfig,
  'maxDepth' | 'maxIntrospectionDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost' | 'maxRootFields'
> & { readonly maxIdsPerList: number; readonly admission?: AdmissionBudget };

/**
 * Every limit on the shape of an operation, checked before parsing (tokens),
 * while validating (depth, root fields, aliases, directives, literal lists)
 * and just before executing (lists in variables, then the cost, which
 * depends on them), so a refused operation costs no resolver and no upstream
 * call. graphql-armor supplies the alias and directive rules; its refusals
 * are re-issued as ours (one code, HTTP 400). An operation within every
 * limit still waits for room in the admission budget, if there is one.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  const armor = new EnvelopArmor({
    // Ours instead (token-limit.ts), so that a refusal is HTTP 400 like the others.
    maxTokens: { enabled: false },
    maxAliases: { n: limits.maxAliases, ...reissuedAs('aliases') },
    maxDirectives: { n: limits.maxDirectives, ...reissuedAs('directives') },
    // Ours instead (operation-cost.ts): armor's estimate ignores how long the lists are.
    costLimit: { enabled: false },
    // Ours instead: armor's depth skips introspection; its suggestion mask misses some hints.
    maxDepth: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const rules = [depthLimitRule(limits), rootFieldsRule(limits.maxRootFields), listLengthRule(limits.maxIdsPerList)];
  return [
    useTokenLimit(limits.maxTokens),
    ...(armor.protect().plugins as Plugin[]),
    {
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
    },
    useVariableListLength(limits.maxIdsPerList),
    useStreamInitialCount(),
    // Last: an operation another limit refuses must not wait for admission first.
    useCostLimit({ maxCost: limits.maxCost, ...(limits.admission ? { admission: limits.admission } : {}) }),
  ];
}

/**
 * armor reports "Syntax Error: Aliases limit of 15 exceeded, found 16."; we
 * report it (without "Syntax Error") as a refusal. The other
 * rules still run, bounded by the token limit.
 */
function reissuedAs(limit: LimitName) {
  const refuse = (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    context?.reportError(operationRefused(limit, message));
  };
  return { propagateOnRejection: false, onReject: [refuse] };
}
