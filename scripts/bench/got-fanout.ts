import { loadConfig, withUpstreamUrls } from '../../src/config.js';
import { createUpstreamHttp } from '../../src/upstream/http.js';
import { serveFloor, type Upstream } from './floor.js';

/**
 * Bench child: the got floor. The floor endpoints (floor.ts) with got set up
 * exactly as the gateway sets it up (src/upstream/http.ts: one extended
 * instance per service, its own keep-alive pool, no got retries, no
 * redirects, statuses judged by hand, the same timeouts per call), and no
 * GraphQL: what the gateway would cost if everything it adds to got were free.
 */
const config = withUpstreamUrls(loadConfig(process.env), {});
const clients = Object.fromEntries(
  (['users', 'orders', 'notifications', 'products', 'inventory'] as const).map((name) => [name, createUpstreamHttp(config, config.services[name]).got]),
) as Record<Upstream, ReturnType<typeof createUpstreamHttp>['got']>;
const { timeoutMs, connectTimeoutMs } = config.services.users;

serveFloor(async (service, path) => {
  const response = await clients[service].get(path, {
    strictContentLength: true,
    timeout: { connect: connectTimeoutMs, response: timeoutMs, request: timeoutMs },
  });
  return response.statusCode === 200 ? JSON.parse(response.body) : null;
});
