import { pino } from 'pino';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { type GatewayConfig } from '../config.js';
import { SERVICE_NAMES, type ServiceName } from '../services/index.js';
import type { Logger } from '../logger.js';
import type { CacheListener } from '../cache/row-cache.js';
import type { CallObserver } from '../upstream/observe.js';
import { upstreamCallLog, useRequestLog, yogaLogger } from './logging.js';
import { allClosed, createUpstreamMetrics, type BreakerStates } from './metrics.js';
import { useReadiness } from './readiness.js';
import { RequestLedger, useRequestLedger } from './request-ledger.js';
import type { Tracing } from './tracing.js';
import { registrySource, useGraphQLMetrics, useMetricsEndpoint, type MetricsSource } from './use-metrics.js';

export type { BreakerState, BreakerStates } from './metrics.js';
export type { MetricsSource } from './use-metrics.js';

export interface ObservabilityOptions {
  /** Defaults to a silent logger (tests that do not look at logs). */
  readonly logger?: Logger;
  /** Circuit breakers' states, for the gauge and `/readiness`; defaults to all closed. */
  readonly breakerStates?: BreakerStates;
  /** Bytes the in-process cache store holds, for its gauge. */
  readonly cacheBytes?: () => number;
  /** What `/metrics` serves; defaults to this gateway's registry (a cluster worker asks the primary). */
  readonly metricsSource?: (local: Registry) => MetricsSource;
  /** From `loadTracing`: required when OTEL_EXPORTER_OTLP_ENDPOINT is set, absent otherwise. */
  readonly tracing?: Tracing;
}

/**
 * The OpenTelemetry SDK, loaded only when an endpoint is configured: without
 * one, tracing costs nothing, not even the ~25 MB its modules take in memory.
 */
export async function loadTracing(config: GatewayConfig, logger?: Logger): Promise<Tracing | undefined> {
  const endpoint = config.operations.otlpEndpoint;
  if (!endpoint) return undefined;
  const { createTracing } = await import('./tracing.js');
  return createTracing({ endpoint, serviceName: config.operations.otelServiceName, logger: logger ?? pino({ level: 'silent' }) });
}

export interface Observability {
  /** Process-wide call watchers: metrics and, when on, traces. */
  readonly observers: readonly CallObserver[];
  /** Per-request call watchers: the request's log line and debug lines. */
  readonly requestObservers: (request: Request) => readonly CallObserver[];
  readonly plugins: readonly Plugin[];
  readonly yogaLogger: ReturnType<typeof yogaLogger>;
  readonly registry: Registry;
  /** Counts what the row cache does (metrics). */
  readonly cacheListener: CacheListener;
  /** From now on `/readiness` answers 503 and responses close their connections. */
  beginDrain(): void;
  /** Flushes buffered spans. */
  shutdown(): Promise<void>;
}

/** Logs, metrics, traces and probes of one gateway, as call observers plus Yoga plugins. */
export function createObservability(
  config: GatewayConfig,
  options: ObservabilityOptions,
  inFlight: () => Record<ServiceName, number>,
): Observability {
  const logger = options.logger ?? pino({ level: 'silent' });
  const breakerStates = options.breakerStates ?? allClosed;
  const ledger = new RequestLedger(upstreamCallLog(logger));
  const metrics = createUpstreamMetrics({ breakerStates, inFlight, ...(options.cacheBytes ? { cacheBytes: options.cacheBytes } : {}) });
  const tracing = options.tracing;
  if (config.operations.otlpEndpoint && !tracing) {
    throw new Error('OTEL_EXPORTER_OTLP_ENDPOINT is set: build the gateway with { tracing: await loadTracing(config, logger) }');
  }
  // Called even when not served here: a cluster worker's source is what answers the primary's aggregation requests.
  const metricsSource = (options.metricsSource ?? registrySource)(metrics.registry);
  let draining = false;
  return {
    observers: tracing ? [metrics.observer, tracing.observer] : [metrics.observer],
    requestObservers: (request) => ledger.observersFor(request),
    plugins: [
      useReadiness({ isDraining: () => draining, breakerStates }),
      // With METRICS_PORT, scrapers have a listener of their own and the public port has no /metrics.
      ...(config.operations.metricsPort === undefined ? [useMetricsEndpoint(metricsSource)] : []),
      useRequestLedger(ledger),
      useRequestLog(logger, ledger),
      useGraphQLMetrics(metrics.registry, ledger),
      ...(tracing?.plugins ?? []),
    ],
    yogaLogger: yogaLogger(logger),
    registry: metrics.registry,
    cacheListener: metrics.cache,
    beginDrain() {
      draining = true;
    },
    shutdown: async () => tracing?.shutdown(),
  };
}

export function inFlightOf(clients: { readonly [S in ServiceName]: { readonly slots: { readonly inFlight: number } } }) {
  return () => Object.fromEntries(SERVICE_NAMES.map((name) => [name, clients[name].slots.inFlight])) as Record<ServiceName, number>;
}
