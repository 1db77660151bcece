import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { deliveredBy, isFinalPart } from './part-paths.js';

/**
 * Puts the request's upstream failures under `extensions.errors` (docs/failures.md
 * section 4), absent when nothing failed. For incremental delivery each part
 * carries the failures whose nulls it delivers; the last part carries any
 * still unreported.
 */
export function useUpstreamErrors(): Plugin<GatewayContext> {
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          const { failures } = payload.args.contextValue;
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (failures.size === 0) return;
            const errors = failures.drain(isFinalPart(result) ? undefined : deliveredBy(result));
            if (errors.length === 0) return;
            setResult({ ...result, extensions: { ...result.extensions, errors } });
          });
        },
      };
    },
  };
}
