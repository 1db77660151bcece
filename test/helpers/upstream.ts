import http from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** A URL on which nothing listens: the port was free a moment ago and is closed now. */
export async function closedPortUrl(): Promise<URL> {
  const upstream = await startUpstream(() => {});
  await upstream.close();
  return upstream.url;
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}
