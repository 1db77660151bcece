import { getCurrentOtelContext, setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  context, defaultTextMapGetter, defaultTextMapSetter, diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace,
} from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { CallObserver } from '../upstream/observe.js';
import { useResolverSpans } from './resolver-spans.js';

export interface TracingOptions {
  /** OTLP/HTTP base URL; spans go to `<endpoint>/v1/traces` as OTLP JSON. */
  readonly endpoint: URL;
  readonly serviceName: string;
  /** Where the SDK's own warnings go (e.g. the collector is unreachable). */
  readonly logger: Logger;
}

export interface Tracing {
  /** Operation spans (envelop), resolver spans, and the client's trace context. */
  readonly plugins: readonly Plugin[];
  /** Upstream call spans, and the `traceparent` each call sends. */
  readonly observer: CallObserver;
  /** Exports what is buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
let contextManagerInstalled = false;
/** A collector that is down must not hold up shutdown past the orchestrator's grace period. */
const SHUTDOWN_FLUSH_MS = 3000;

/**
 * OpenTelemetry for one gateway: only built when an OTLP endpoint is set, so
 * a gateway without one installs no plugin and pays nothing. The context
 * manager (AsyncLocalStorage) is what lets a DataLoader batch, started from a
 * resolver, find the span it belongs to.
 */
export function createTracing({ endpoint, serviceName, logger }: TracingOptions): Tracing {
  if (!contextManagerInstalled) {
    contextManagerInstalled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const warn = (message: string) => logger.warn({ component: 'opentelemetry' }, message);
    diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: new URL('v1/traces', endpoint).href }))],
  });
  const tracer = provider.getTracer('graphql-gateway');

  const observer: CallObserver = ({ service, route, method, keys, batch, idempotencyKeyHash }) => {
    const span = tracer.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'url.template': route,
          'upstream.service': service,
          'upstream.batch': batch,
          'upstream.batch_size': keys,
          ...(idempotencyKeyHash ? { 'upstream.idempotency_key_hash': idempotencyKeyHash } : {}),
        },
      },
      context.active(),
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(context.active(), span), headers, defaultTextMapSetter);
    return {
      headers,
      attemptEnded({ attempt, durationMs, status, code }) {
        span.addEvent('attempt', {
          'upstream.attempt': attempt,
          'upstream.attempt_ms': durationMs,
          ...(status === undefined ? {} : { 'http.response.status_code': status }),
          ...(code === undefined ? {} : { 'upstream.error_code': code }),
        });
      },
      ended({ attempts, status, outcome }) {
        span.setAttributes({ 'upstream.attempts': attempts, 'upstream.outcome': outcome });
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (outcome !== 'ok' && outcome !== 'not-found') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
      },
    };
  };

  return {
    plugins: [
      useClientTraceContext(),
      // The envelop plugin's types name the 1.x SDK it was built against; it only calls getTracer().
      useOpenTelemetry({ resolvers: false, variables: false, result: false }, provider as never, SpanKind.SERVER, {}, serviceName) as Plugin,
      useResolverSpans(tracer),
    ],
    observer,
    async shutdown() {
      const flushed = provider.shutdown().catch((error: Error) => {
        logger.warn({ err: { message: error.message } }, 'could not export the last spans');
      });
      await Promise.race([flushed, sleep(SHUTDOWN_FLUSH_MS, undefined, { ref: false })]);
    },
  };
}

/** A client's W3C `traceparent` makes the operation span a child of the client's span. */
function useClientTraceContext(): Plugin {
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request?.headers.has('traceparent')) return;
      const carrier = Object.fromEntries(request.headers);
      const parent = propagator.extract(getCurrentOtelContext(args.contextValue) ?? ROOT_CONTEXT, carrier, defaultTextMapGetter);
      setCurrentOtelContext(args.contextValue, parent);
    },
  };
}
