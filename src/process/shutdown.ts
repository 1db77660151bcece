import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { Gateway } from '../server.js';

export interface ShutdownOptions {
  readonly server: http.Server;
  readonly gateway: Gateway;
  readonly logger: Logger;
  /** Readiness fails but new connections are still served, so load balancers can move away first. */
  readonly delayMs: number;
  /** Longest wait for in-flight requests once the gateway stops accepting. */
  readonly drainMs: number;
}

/**
 * Graceful shutdown: readiness fails at once (and responses ask clients to
 * close their keep-alive connections); after `delayMs` the listener closes
 * and idle connections are dropped; in-flight requests get up to `drainMs` to
 * finish before their connections are cut, and writes still being sent
 * (their clients may have left) within the same time; then the upstream pools
 * close and buffered spans are flushed. Resolves to how the drain ended.
 */
export async function drainAndClose({ server, gateway, logger, delayMs, drainMs }: ShutdownOptions): Promise<'drained' | 'cut'> {
  gateway.beginDrain();
  logger.info({ delayMs, drainMs }, 'draining: readiness now answers 503');
  if (delayMs > 0) await sleep(delayMs);

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = sleep(drainMs, 'cut' as const, { ref: false });
  const outcome = await Promise.race([closed.then(() => 'drained' as const), timer]);
  if (outcome === 'cut') {
    logger.warn({ drainMs }, 'drain timeout: cutting the connections still open');
    server.closeAllConnections();
    await closed;
  }
  // A write whose client left is no longer a connection, but it runs to its outcome: closing the upstream sockets
  // now would cut it, and closing the cache store would lose its invalidation. Within the same drain time.
  await Promise.race([gateway.writesSettled(), timer]);
  await gateway.close();
  logger.info({ outcome }, 'gateway stopped');
  return outcome;
}
