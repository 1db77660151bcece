import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';
import { isOperationPath } from '../endpoints.js';
import type { RequestLedger } from './request-ledger.js';

/** Where `/metrics` gets its text: this process's registry, or the cluster primary's aggregate. */
export type MetricsSource = () => Promise<{ readonly contentType: string; readonly text: string }>;

export function registrySource(registry: Registry): MetricsSource {
  return async () => ({ contentType: registry.contentType, text: await registry.metrics() });
}

/**
 * GraphQL metrics from Yoga's Prometheus plugin (HTTP duration, execution
 * duration, operations, errors by phase), in the gateway's registry. Labels
 * that a client controls (operation name, URL, error path) are switched off:
 * one metric per made-up name would be a memory leak and a scrape bomb.
 * Per-operation detail is in the logs and traces.
 */
export function useGraphQLMetrics(registry: Registry, ledger: RequestLedger): Plugin {
  const responses = new Counter({
    name: 'gateway_graphql_responses_total',
    help: 'GraphQL responses by result: ok, partial (some upstream failed, see extensions.errors), error (top-level errors) or client_gone (the client left before the answer was ready)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        usePrometheus({
          registry,
          endpoint: false,
          metrics: {
            graphql_yoga_http_duration: true,
            graphql_envelop_request: true,
            graphql_envelop_request_duration: true,
            graphql_envelop_error_result: true,
            graphql_envelop_request_time_summary: false,
            graphql_envelop_phase_parse: false,
            graphql_envelop_phase_validate: false,
            graphql_envelop_phase_context: false,
            graphql_envelop_phase_execute: false,
            graphql_envelop_phase_subscribe: false,
            graphql_envelop_execute_resolver: false,
            graphql_envelop_deprecated_field: false,
            graphql_envelop_schema_change: false,
          },
          labels: { operationName: false, url: false, path: false, fieldName: false, typeName: false },
        }),
      );
    },
    onResponse({ request }) {
      if (!isOperationPath(new URL(request.url).pathname)) return;
      ledger.whenDone(request, (record) => {
        if (record.operationType === undefined && record.graphqlErrors === 0) return; // not an operation (e.g. GraphiQL)
        const result = record.clientGone
          ? 'client_gone'
          : record.graphqlErrors > 0
            ? 'error'
            : Object.keys(record.failures).length > 0
              ? 'partial'
              : 'ok';
        responses.inc({ result });
      });
    },
  };
}

/** `GET /metrics` in the Prometheus text format. */
export function useMetricsEndpoint(source: MetricsSource, endpoint = '/metrics'): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== endpoint || request.method !== 'GET') return;
      try {
        const { contentType, text } = await source();
        endResponse(new fetchAPI.Response(text, { status: 200, headers: { 'content-type': contentType } }));
      } catch {
        endResponse(new fetchAPI.Response('metrics unavailable\n', { status: 503, headers: { 'content-type': 'text/plain' } }));
      }
    },
  };
}
