import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadTracing } from '../observability/index.js';
import { registrySource } from '../observability/use-metrics.js';
import { createGateway, type Gateway, type GatewayOptions } from '../server.js';
import { isWorker } from './cluster.js';
import { createBoundedServer, listen } from './http-server.js';
import { closeScrapers, listenForScrapers } from './metrics-listener.js';
import { drainAndClose } from './shutdown.js';

export interface Serving {
  readonly server: http.Server;
  readonly gateway: Gateway;
  readonly port: number;
  /** Drains and closes; safe to call more than once (the first call wins). */
  stop(signal: string): Promise<void>;
}

/** Builds the gateway, serves it on the configured port with bounded connections and header/request times. */
export async function serveGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions = {}): Promise<Serving> {
  const tracing = await loadTracing(config, logger);
  const gateway = createGateway(config, { logger, ...(tracing ? { tracing } : {}), ...options });
  const server = createBoundedServer(gateway.handler, config.operations);
  await listen(server, config.port, 'PORT');
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, `gateway listening on http://localhost:${port}/graphql`);
  // With workers, the primary listens for scrapers: it holds the sum of every worker's metrics.
  const { metricsPort } = config.operations;
  const scrapers =
    metricsPort === undefined || isWorker() ? undefined : await listenForScrapers(metricsPort, registrySource(gateway.metrics), config.operations, logger);

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      const { shutdownDelayMs: delayMs, shutdownDrainMs: drainMs } = config.operations;
      await drainAndClose({ server, gateway, logger, delayMs, drainMs });
      if (scrapers) await closeScrapers(scrapers);
    })());
  return { server, gateway, port, stop };
}

/**
 * A single process: SIGTERM (orchestrators) and SIGINT (Ctrl-C) both drain,
 * then `after` runs once. A second signal during the drain runs `forced`:
 * whoever sends it (a second Ctrl-C) has decided not to wait.
 */
export function onStopSignals(stop: (signal: string) => Promise<void>, after: () => Promise<void> | void, forced: (signal: string) => void): void {
  stopOnFirst(['SIGTERM', 'SIGINT'], stop, after, forced);
}

/**
 * A cluster worker: the primary decides. A Ctrl-C reaches every process of
 * the terminal's group, workers included, and is ignored here; the primary
 * answers it with a SIGTERM, which drains. Further SIGTERMs (a group-wide one
 * and then the primary's) change nothing; the primary forces an exit itself.
 */
export function workerStopSignals(stop: (signal: string) => Promise<void>, after: () => Promise<void> | void): void {
  process.on('SIGINT', () => {});
  stopOnFirst(['SIGTERM'], stop, after, () => {});
}

function stopOnFirst(
  signals: readonly NodeJS.Signals[],
  stop: (signal: string) => Promise<void>,
  after: () => Promise<void> | void,
  again: (signal: string) => void,
): void {
  let stopping = false;
  for (const signal of signals) {
    process.on(signal, () => {
      if (stopping) return again(signal);
      stopping = true;
      void stop(signal).then(after);
    });
  }
}
