import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { SERVICE_NAMES, type GatewayConfig } from './config.js';
import { createContextFactory, requestIdOf, type RequestState } from './context.js';
import { useUpstreamErrors } from './errors/use-upstream-errors.js';
import { graphiqlOptions } from './graphiql.js';
import { useGraphiQLDelivery } from './graphiql-delivery.js';
import type { ServiceClients } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { gatewaySchema } from './schema/index.js';
import { useUpstreamTrace } from './trace/use-upstream-trace.js';
import { gatewaySecurity } from './security/index.js';
import { createUpstreamHttp } from './upstream/http.js';
import type { CallObserver } from './upstream/observe.js';
import { ServiceClient } from './upstream/service-client.js';

export interface Gateway {
  readonly yoga: YogaServerInstance<Record<string, unknown>, RequestState>;
  readonly clients: ServiceClients;
  /** Closes the upstream socket pools. The HTTP server is the caller's. */
  close(): void;
}

export interface GatewayOptions {
  /** Process-wide watchers of upstream calls (logs, metrics, traces). */
  readonly observers?: readonly CallObserver[];
  /** Where unexpected errors are logged in full (the client sees only a request id). */
  readonly logger?: Logger;
}

/** Builds the configured gateway. It never listens: main.ts (or a test) serves `yoga`. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const pools = SERVICE_NAMES.map((name) => createUpstreamHttp(config, config.services[name]));
  const clients = Object.fromEntries(
    SERVICE_NAMES.map((name, index) => [name, new ServiceClient(config.services[name], pools[index]!, options.observers)]),
  ) as unknown as ServiceClients;
  const security = gatewaySecurity(config, options.logger ?? createLogger(config.logLevel));

  const yoga = createYoga<Record<string, unknown>, RequestState>({
    schema: gatewaySchema(),
    context: createContextFactory(config, clients),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? graphiqlOptions(config.upstreamTrace) : false,
    renderGraphiQL,
    ...security.options,
    plugins: [
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
    close: () => pools.forEach((pool) => pool.close()),
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
