import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { RequestListener } from 'node:http';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { type GatewayConfig } from './config.js';
import type { KeyedRead } from './services/define.js';
import { READS, SERVICE_NAMES, type ServiceName } from './services/index.js';
import { createRowCache } from './cache/index.js';
import type { ForgetBus, RowCache } from './cache/row-cache.js';
import { createContextFactory, requestIdOf, type RequestState } from './context.js';
import { GRAPHQL_PATH, SUBGRAPH_PATH } from './endpoints.js';
import { useRouterVisibleErrors } from './errors/use-router-visible-errors.js';
import { useUpstreamErrors } from './errors/use-upstream-errors.js';
import { useGraphiQLPage } from './graphiql/use-graphiql.js';
import type { ServiceClients } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { createObservability, inFlightOf, type ObservabilityOptions } from './observability/index.js';
import { breakerLog } from './observability/logging.js';
import { gatewaySchema, subgraphSchema } from './schema/index.js';
import { useUpstreamTrace } from './trace/use-upstream-trace.js';
import { useExactEndpoint } from './security/exact-endpoint.js';
import { gatewaySecurity } from './security/index.js';
import { createUpstreamHttp } from './upstream/http.js';
import type { CallObserver } from './upstream/observe.js';
import { ServiceClient } from './upstream/service-client.js';
import { WritesInFlight } from './writes/in-flight.js';

type GatewayYoga = YogaServerInstance<Record<string, unknown>, RequestState>;

export interface Gateway {
  /** `/graphql`, GraphiQL, probes and `/metrics`. */
  readonly yoga: GatewayYoga;
  /** `/subgraph`, the Apollo Federation subgraph of the same schema; only with FEDERATION=true. */
  readonly subgraph: GatewayYoga | undefined;
  /** What an HTTP server serves: every path above, each to its Yoga instance. */
  readonly handler: RequestListener;
  readonly clients: ServiceClients;
  /** The upstream rows kept between requests (docs/caching.md). */
  readonly rows: RowCache;
  /** This gateway's Prometheus registry (what `/metrics` serves unless told otherwise). */
  readonly metrics: Registry;
  /** Shutdown began: `/readiness` answers 503 and responses close their connections. */
  beginDrain(): void;
  /** Resolves once the writes being sent now have ended (their clients may have left already). */
  writesSettled(): Promise<void>;
  /** Closes the upstream socket pools (at once) and the cache store, and flushes buffered spans. The HTTP server is the caller's. */
  close(): Promise<void>;
}

export interface GatewayOptions extends ObservabilityOptions {
  /** Process-wide watchers of upstream calls (logs, metrics, traces). */
  readonly observers?: readonly CallObserver[];
  /** A cluster worker with the memory store: how a write's invalidation reaches the other workers. */
  readonly forgetBus?: ForgetBus;
  /** The cache's clock (tests move it forward instead of waiting). */
  readonly cacheClock?: () => number;
}

/** Builds the configured gateway. It never listens: main.ts (or a test) serves `yoga`. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const pools = SERVICE_NAMES.map((name) => createUpstreamHttp(config, config.services[name]));
  // The breakers live in the service clients, and the cache in `rows`, built just below; gauges and /readiness read them when asked.
  const breakerStates = () => Object.fromEntries(SERVICE_NAMES.map((name) => [name, clients[name].breakerState]));
  const cacheBytes = () => rows.heldBytes;
  const observability = createObservability(config, { breakerStates, cacheBytes, ...options }, () => inFlightOf(clients)());
  const observers = [...(options.observers ?? []), ...observability.observers];
  const logger = options.logger ?? createLogger('silent');
  const clients = Object.fromEntries(
    SERVICE_NAMES.map((name, index) => [name, new ServiceClient(config.services[name], pools[index]!, observers, breakerLog(logger, name))]),
  ) as unknown as ServiceClients;
  const security = gatewaySecurity(config, logger);
  const rows = createRowCache(config, {
    logger,
    listener: observability.cacheListener,
    ...(options.forgetBus ? { bus: options.forgetBus } : {}),
    ...(options.cacheClock ? { now: options.cacheClock } : {}),
    // A write here or in another worker: no later read may join a call begun before it.
    forgotten: (reads) => retireSharedCallsOf(clients, reads),
  });

  const writes = new WritesInFlight();

  const common = {
    context: createContextFactory(config, clients, observability.requestObservers, rows, writes),
    logging: observability.yogaLogger,
    landingPage: false,
    ...security.options,
  };
  // One set of plugin instances for both endpoints: the same limits, masking, logs, metrics and failure report.
  const plugins = (endpoint: string) => [
    ...observability.plugins,
    // After the probes and /metrics, which answer paths of their own; before anything is parsed.
    useExactEndpoint(endpoint),
    ...security.plugins,
    useUpstreamErrors(),
    useRequestIdHeader(),
    ...(config.introspection ? [] : [useNoIntrospection()]),
    useDeferStream(),
    ...(config.upstreamTrace === 'off' ? [] : [useUpstreamTrace(config.upstreamTrace)]),
  ];
  const yoga = createYoga<Record<string, unknown>, RequestState>({
    ...common,
    schema: gatewaySchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    // GraphiQL is ours (useGraphiQLPage): served from memory, at exactly this path, with the upstream-calls panel.
    graphiql: false,
    plugins: [...(config.graphiql ? [useGraphiQLPage(config, { endpoint: GRAPHQL_PATH })] : []), ...plugins(GRAPHQL_PATH)],
  });
  const subgraph = config.federation
    ? createYoga<Record<string, unknown>, RequestState>({
        ...common,
        schema: subgraphSchema(),
        graphqlEndpoint: SUBGRAPH_PATH,
        graphiql: false,
        // Last: it copies failures into `errors` after the request ledger has counted them as failures.
        plugins: [...plugins(SUBGRAPH_PATH), useRouterVisibleErrors()],
      })
    : undefined;

  return {
    yoga,
    subgraph,
    handler: routeByPath(yoga, subgraph),
    clients,
    rows,
    metrics: observability.registry,
    beginDrain: () => observability.beginDrain(),
    writesSettled: () => writes.settled(),
    close: async () => {
      pools.forEach((pool) => pool.close());
      await Promise.all([rows.close(), observability.shutdown()]);
    },
  };
}

function retireSharedCallsOf(clients: ServiceClients, reads: Iterable<string>): void {
  for (const name of reads) {
    const read = (READS as Readonly<Record<string, KeyedRead | undefined>>)[name];
    if (read) clients[read.service as ServiceName].retireSharedCalls();
  }
}

function routeByPath(yoga: GatewayYoga, subgraph: GatewayYoga | undefined): RequestListener {
  if (!subgraph) return yoga;
  return (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://gateway.local');
    return (pathname === SUBGRAPH_PATH ? subgraph : yoga)(request, response);
  };
}

function useRequestIdHeader(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}

function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
