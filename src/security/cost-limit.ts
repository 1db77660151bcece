import { finalAsyncIterator, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { AdmissionBudget, Release } from './admission.js';
import { memoOperationCost } from './cost-memo.js';
import { overloaded } from './overload.js';
import { operationRefused } from './refusal.js';

export interface CostLimitOptions {
  readonly maxCost: number;
  /** Bounds the cost executing at once in this process. */
  readonly admission?: AdmissionBudget;
}

/**
 * Refuses an operation dearer than `maxCost` (HTTP 400, no upstream call)
 * and runs the others within the admission budget: one that cannot start in
 * time gets 503 with Retry-After. The cost depends on the request's
 * variables, so it is computed per request, just before execution (kept per
 * document and shape of the variables: cost-memo.ts).
 */
export function useCostLimit({ maxCost, admission }: CostLimitOptions): Plugin {
  const releases = new WeakMap<Request, Release>();
  return {
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const cost = memoOperationCost(args.schema, args.document, variables, args.operationName);
      if (cost === undefined) return;
      if (cost > maxCost) {
        const size = Number.isFinite(cost) ? `the answer would hold about ${cost} values` : 'the operation is too large to price';
        const message = `Cost limit of ${maxCost} exceeded: ${size}.`;
        setResultAndStopExecution({ errors: [operationRefused('cost', message)] });
        return;
      }
      if (!admission) return;
      const request = (args.contextValue as { request?: Request }).request;
      // Admitted inside the execute function, so that a plugin stopping execution after this one leaves no share taken.
      setExecuteFn(async (executionArgs) => {
        const release = await admission.acquire(cost, request?.signal);
        if (!release) return { errors: [overloaded()] };
        if (request) releases.set(request, release);
        try {
          const result = await executeFn(executionArgs);
          // A streamed answer (@defer, @stream) keeps its share until its last part is sent or the client leaves.
          if (isAsyncIterable(result)) return finalAsyncIterator(result, release);
          release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      });
    },
    onResponse({ request, response }) {
      // A stream nobody will read (406: the client accepts no incremental format) never ends: release its share here.
      if (response.body === null) releases.get(request)?.();
    },
  };
}
