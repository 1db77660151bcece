import cluster from 'node:cluster';
import http from 'node:http';
import { ConfigError } from '../config.js';

export interface InboundLimits {
  /** Client connections this process holds at once; more are closed on arrival. */
  readonly maxConnections: number;
  /** A connection must send a whole request head within this of opening (or of starting its next request). */
  readonly headersTimeoutMs: number;
}

/** A whole request, body included, may take this long. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * An HTTP server bounded against clients that hold sockets without using
 * them. Node 20 starts a connection's header clock when the connection
 * opens, so `headersTimeout` closes (with a 408) one that sends nothing as
 * well as one that dribbles its headers; idle keep-alive connections go
 * after Node's 5 s `keepAliveTimeout`. Node checks the first two only every
 * `connectionsCheckingInterval` (30 s by default, which let such a socket
 * live up to 40 s): every second here.
 */
export function createBoundedServer(handler: http.RequestListener, limits: InboundLimits): http.Server {
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, handler);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  capConnections(server, limits.maxConnections);
  return server;
}

/**
 * At most `max` connections at once, so a flood of sockets exhausts neither
 * file descriptors (which upstream calls need too) nor memory. A single
 * process closes the excess before Node builds a socket for it
 * (`maxConnections`). A cluster worker must not: Node 20's primary hands a
 * connection a worker refuses that way to another worker, and back, for as
 * long as the client keeps it open (measured: over a second of the primary's
 * CPU in three for six such connections). A worker takes it and closes it.
 */
function capConnections(server: http.Server, max: number): void {
  if (!cluster.isWorker) {
    server.maxConnections = max;
    return;
  }
  let open = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
    if (open > max) socket.destroy();
  });
}

/** A port that cannot be had is a configuration problem: one line naming its variable, not an unhandled 'error' event. */
export function listen(server: http.Server, port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const why = { EADDRINUSE: 'is already in use', EACCES: 'needs privileges this process does not have' }[error.code ?? ''];
      reject(why ? new ConfigError(`${variable}: ${port} ${why}`) : error);
    };
    server.once('error', fail);
    server.listen(port, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
