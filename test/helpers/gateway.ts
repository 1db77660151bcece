import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, withUpstreamUrls, type GatewayConfig } from '../../src/config.js';
import { SERVICE_NAMES, type ServiceName } from '../../src/services/index.js';
import { startDemoUpstreams, type DemoOptions, type DemoUpstreams } from '../../src/demo/server.js';
import { loadTracing } from '../../src/observability/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';

export interface GraphQLAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly ms: number;
}

export interface TestGateway {
  readonly url: string;
  readonly demo: DemoUpstreams;
  readonly gateway: Gateway;
  readonly config: GatewayConfig;
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer>;
  close(): Promise<void>;
}

export interface TestGatewayOptions extends GatewayOptions {
  /** Environment variables as an operator would set them. */
  readonly env?: Record<string, string>;
  /** Upstreams that replace the demo ones for some services. */
  readonly urls?: Partial<Record<ServiceName, URL>>;
  readonly demo?: DemoOptions;
  /**
   * `true`: the demo upstreams send their `Cache-Control` headers, as `npm start`'s do. By default they send none, so
   * that tests of everything else see one upstream call per read, however often they ask.
   */
  readonly cacheHeaders?: boolean;
}

/** The gateway over real HTTP on a loopback port, in front of the demo upstreams (also on loopback). */
export async function startGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const demo = await startDemoUpstreams(options.cacheHeaders ? options.demo : withoutCacheHeaders(options.demo));
  const config = withUpstreamUrls(loadConfig(options.env ?? {}), { ...demo.urls, ...options.urls });
  const tracing = await loadTracing(config, options.logger);
  const gateway = createGateway(config, { ...(tracing ? { tracing } : {}), ...options });
  const server = http.createServer(gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    url,
    demo,
    gateway,
    config,
    async query(query, variables, headers) {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      gateway.close();
      await demo.close();
    },
  };
}

/**
 * Upstream calls per service seen by the demo upstreams since the last reset:
 * for the services named (zeros included), or, when none are named, for every
 * service that was called at all. Either way a service added to the gateway
 * changes no existing assertion.
 */
export function callCounts(demo: DemoUpstreams, services?: readonly ServiceName[]): Partial<Record<ServiceName, number>> {
  const counts = Object.entries(demo.stats).map(([name, stat]) => [name, stat.calls.length] as const);
  return Object.fromEntries(services ? counts.filter(([name]) => services.includes(name as ServiceName)) : counts.filter(([, calls]) => calls > 0));
}

function withoutCacheHeaders(options: DemoOptions = {}): DemoOptions {
  const knobs = Object.fromEntries(SERVICE_NAMES.map((name) => [name, { cacheControl: null, ...options.knobs?.[name] }]));
  return { ...options, knobs };
}
