import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { SERVICE_NAMES, type GatewayConfig } from './config.js';
import { createContextFactory, requestIdOf, type RequestState } from './context.js';
import { useUpstreamErrors } from './errors/use-upstream-errors.js';
import { graphiqlOptions } from './graphiql.js';
import { useGraphiQLDelivery } from './graphiql-delivery.js';
import type { ServiceClients } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { createObservability, inFlightOf, type ObservabilityOptions } from './observability/index.js';
import { breakerLog } from './observability/logging.js';
import { gatewaySchema } from './schema/index.js';
import { useUpstreamTrace } from './trace/use-upstream-trace.js';
import { graphiqlAt, useExactEndpoint } from './security/exact-endpoint.js';
import { gatewaySecurity } from './security/index.js';
import { createUpstreamHttp } from './upstream/http.js';
import type { CallObserver } from './upstream/observe.js';
import { ServiceClient } from './upstream/service-client.js';

export interface Gateway {
  readonly yoga: YogaServerInstance<Record<string, unknown>, RequestState>;
  readonly clients: ServiceClients;
  /** This gateway's Prometheus registry (what `/metrics` serves unless told otherwise). */
  readonly metrics: Registry;
  /** Shutdown began: `/readiness` answers 503 and responses close their connections. */
  beginDrain(): void;
  /** Closes the upstream socket pools (at once) and flushes buffered spans. The HTTP server is the caller's. */
  close(): Promise<void>;
}

export interface GatewayOptions extends ObservabilityOptions {
  /** Process-wide watchers of upstream calls (logs, metrics, traces). */
  readonly observers?: readonly CallObserver[];
}

const GRAPHQL_ENDPOINT = '/graphql';

/** Builds the configured gateway. It never listens: main.ts (or a test) serves `yoga`. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const pools = SERVICE_NAMES.map((name) => createUpstreamHttp(config, config.services[name]));
  // The breakers live in the service clients, built just below; the gauge and /readiness read them when asked.
  const breakerStates = () => Object.fromEntries(SERVICE_NAMES.map((name) => [name, clients[name].breakerState]));
  const observability = createObservability(config, { breakerStates, ...options }, () => inFlightOf(clients)());
  const observers = [...(options.observers ?? []), ...observability.observers];
  const logger = options.logger ?? createLogger('silent');
  const clients = Object.fromEntries(
    SERVICE_NAMES.map((name, index) => [name, new ServiceClient(config.services[name], pools[index]!, observers, breakerLog(logger, name))]),
  ) as unknown as ServiceClients;
  const security = gatewaySecurity(config, logger);

  const yoga = createYoga<Record<string, unknown>, RequestState>({
    schema: gatewaySchema(),
    context: createContextFactory(config, clients, observability.requestObservers),
    logging: observability.yogaLogger,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    graphiql: config.graphiql ? graphiqlAt(GRAPHQL_ENDPOINT, graphiqlOptions(config.upstreamTrace)) : false,
    renderGraphiQL,
    ...security.options,
    plugins: [
      ...observability.plugins,
      useExactEndpoint(GRAPHQL_ENDPOINT),
      ...security.plugins,
      useUpstreamErrors(),
      useRequestIdHeader(),
      ...(config.introspection ? [] : [useNoIntrospection()]),
      useDeferStream(),
      ...(config.upstreamTrace === 'off' ? [] : [useUpstreamTrace(config.upstreamTrace)]),
      ...(config.graphiql ? [useGraphiQLDelivery()] : []),
    ],
  });

  return {
    yoga,
    clients,
    metrics: observability.registry,
    beginDrain: () => observability.beginDrain(),
    close: async () => {
      pools.forEach((pool) => pool.close());
      await observability.shutdown();
    },
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
