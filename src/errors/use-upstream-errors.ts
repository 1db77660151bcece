import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { deliveredBy, isFinalPart } from './part-paths.js';

/**
 * Puts the request's upstream failures under `extensions.errors`
 * (docs/failures.md), absent when nothing failed, and the data served stale in their
 * place under `extensions.stale` (docs/caching.md). For incremental delivery
 * each part carries the entries whose paths it delivers; the last part
 * carries any still unreported.
 */
export function useUpstreamErrors(): Plugin<GatewayContext> {
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          const { failures, stale } = payload.args.contextValue;
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (failures.size === 0 && stale.size === 0) return;
            const delivered = isFinalPart(result) ? undefined : deliveredBy(result);
            const errors = failures.drain(delivered);
            const served = stale.drain(delivered);
            if (errors.length === 0 && served.length === 0) return;
            setResult({
              ...result,
              extensions: { ...result.extensions, ...(errors.length > 0 ? { errors } : {}), ...(served.length > 0 ? { stale: served } : {}) },
            });
          });
        },
      };
    },
  };
}
