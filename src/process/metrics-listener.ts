import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { MetricsSource } from '../observability/index.js';
import { createBoundedServer, listen, type InboundLimits } from './http-server.js';

/**
 * The scrapers' own listener (METRICS_PORT): `GET /metrics`, and `GET /health`
 * for liveness probes; everything else is a 404. Kept off the public port so
 * that nobody outside can make the gateway render its metrics (about 3 ms of
 * CPU each), and so that a flood filling the public port's connections cannot
 * fail liveness and get a working process restarted. Readiness stays on the
 * public port: it must speak for the port that serves traffic.
 */
export async function listenForScrapers(port: number, source: MetricsSource, limits: InboundLimits, logger: Logger): Promise<http.Server> {
  const server = createBoundedServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://scraper').pathname;
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/health')) return void response.writeHead(404).end();
    if (path === '/health') return void response.writeHead(200).end();
    source().then(
      ({ contentType, text }) => response.writeHead(200, { 'content-type': contentType }).end(text),
      () => response.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  }, limits);
  await listen(server, port, 'METRICS_PORT');
  const bound = (server.address() as AddressInfo).port;
  logger.info({ port: bound }, `metrics listening on http://localhost:${bound}/metrics`);
  return server;
}

/** Closes the listener and whatever scrape connections it still has. */
export function closeScrapers(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
