import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadTracing } from '../observability/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../server.js';
import { drainAndClose } from './shutdown.js';

export interface Serving {
  readonly server: http.Server;
  readonly gateway: Gateway;
  readonly port: number;
  /** Drains and closes; safe to call more than once (the first call wins). */
  stop(signal: string): Promise<void>;
}

/** Builds the gateway, serves it on the configured port with bounded header/request times. */
export async function serveGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions = {}): Promise<Serving> {
  const tracing = await loadTracing(config, logger);
  const gateway = createGateway(config, { logger, ...(tracing ? { tracing } : {}), ...options });
  const server = http.createServer(gateway.yoga);
  // A client may not dribble headers or a body forever; keep-alive stays at Node's 5 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, `gateway listening on http://localhost:${port}/graphql`);

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      const { shutdownDelayMs: delayMs, shutdownDrainMs: drainMs } = config.operations;
      await drainAndClose({ server, gateway, logger, delayMs, drainMs });
    })());
  return { server, gateway, port, stop };
}

/** SIGTERM (orchestrators) and SIGINT (Ctrl-C) both drain, then `after` runs once. */
export function onStopSignals(stop: (signal: string) => Promise<void>, after: () => Promise<void> | void): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void stop(signal).then(after));
  }
}
