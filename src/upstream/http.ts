import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import type { GatewayConfig, ServiceConfig } from '../config.js';

/**
 * The one got instance of the process, and one client per upstream derived
 * from it with `extend`. Each upstream gets its own keep-alive socket pool so
 * that a slow service cannot hold the sockets another one needs.
 *
 * got's defaults are unsafe for a gateway (no timeout, retries with 1-2 s
 * backoff, redirects followed): all of that is switched off here and handled
 * by the call engine (service-client.ts), which knows the request's deadline.
 */
export const baseHttp: Got = got.extend({
  retry: { limit: 0 },
  followRedirect: false,
  throwHttpErrors: false,
  responseType: 'text',
  decompress: true,
  headers: {
    accept: 'application/json',
    'user-agent': 'graphql-aggregation-gateway',
  },
});

export interface UpstreamHttp {
  readonly got: Got;
  /** Destroys the pool's sockets; in-flight calls fail. */
  close(): void;
}

export function createUpstreamHttp(config: GatewayConfig, service: ServiceConfig): UpstreamHttp {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets: service.maxConcurrency,
    maxFreeSockets: Math.min(service.maxConcurrency, 256),
    // Shorter than the upstream's keep-alive (Node's default is 5 s), so we never
    // write a request onto a socket the server is closing.
    timeout: config.upstreamIdleTimeoutMs,
    scheduling: 'lifo',
  };
  const agent = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  return {
    got: baseHttp.extend({ prefixUrl: service.baseUrl.href, agent }),
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}
