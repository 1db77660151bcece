import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** A loopback HTTP server for one test, recording every request path it sees. */
export interface TestUpstream {
  readonly url: URL;
  readonly hits: string[];
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function startUpstream(handler: http.RequestListener): Promise<TestUpstream> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    hits,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A URL on which nothing listens. The port is a privileged one (below 1024),
 * checked to refuse connections: a port freed by closing a port-0 server is
 * back in the ephemeral range, and a parallel test file's server may be
 * handed it a moment later (CI once saw the "closed port" answer with an HTTP error).
 */
export async function closedPortUrl(): Promise<URL> {
  for (let port = 1; port < 1024; port += 1) {
    if (await refuses(port)) return new URL(`http://127.0.0.1:${port}/`);
  }
  throw new Error('no closed port below 1024 on 127.0.0.1');
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    // A port that drops packets instead of refusing is no closed port either.
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}
