import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, type GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { loadTracing } from '../observability/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../server.js';
import { createBoundedServer } from './http-server.js';
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
  const server = createBoundedServer(gateway.yoga, config.operations);
  await listen(server, config.port);
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

/** A port that cannot be had is a configuration problem: one line naming PORT, not an unhandled 'error' event. */
function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const why = { EADDRINUSE: 'is already in use', EACCES: 'needs privileges this process does not have' }[error.code ?? ''];
      reject(why ? new ConfigError(`PORT: ${port} ${why}`) : error);
    };
    server.once('error', fail);
    server.listen(port, () => {
      server.off('error', fail);
      resolve();
    });
  });
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
