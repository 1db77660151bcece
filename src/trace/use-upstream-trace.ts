import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { UpstreamTraceMode } from '../config.js';
import type { GatewayContext } from '../context.js';
import { UpstreamTrace } from './upstream-trace.js';

/** The request header that asks for the trace in `header` mode. */
export const TRACE_HEADER = 'x-gateway-trace';

/**
 * Lists under `extensions.upstreams` the REST calls an operation caused, for
 * people finding out why a query is slow or which service nulled a field.
 * `header` mode: only for requests that send `x-gateway-trace: 1` (GraphiQL
 * always does); `always`: every response. The `off` mode is not installing
 * this plugin at all.
 */
export function useUpstreamTrace(mode: Exclude<UpstreamTraceMode, 'off'>): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      if (mode === 'header' && !asksForTrace(context.request)) return;
      const trace = new UpstreamTrace();
      context.upstreamObservers.push(trace.observer);
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            setResult({ ...result, extensions: { ...result.extensions, upstreams: trace.drain() } });
          });
        },
      };
    },
  };
}

function asksForTrace(request: Request): boolean {
  const value = request.headers.get(TRACE_HEADER)?.trim().toLowerCase();
  return value === '1' || value === 'true';
}
