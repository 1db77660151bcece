import { defineConfig } from '@graphql-hive/gateway';

/**
 * Hive Gateway as the federation tests run it (docs/federation.md shows it):
 * `hive-gateway supergraph <file> --host 127.0.0.1 --port <free port> --config-path
 * test/router/gateway.config.ts`. Everything else keeps Hive Gateway's defaults
 * (no usage reporting without a Hive token, errors of subgraphs passed on).
 */
export const gatewayConfig = defineConfig({
  // Off by default: the router answers @defer itself, fetching the deferred fields with later subgraph requests.
  deferStream: true,
  // Hive Gateway passes on only the errors of fields it nulls, so a stale serve's STALE error stops here; its header does not.
  propagateHeaders: {
    fromSubgraphsToClient: ({ response }) => {
      const stale = response.headers.get('x-gateway-stale');
      return stale === null ? undefined : { 'x-gateway-stale': stale };
    },
  },
});
