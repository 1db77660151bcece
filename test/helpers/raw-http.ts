import http from 'node:http';

/** An answer read whole, with the time from sending to the end of the body. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
  readonly ms: number;
}

export interface RawRequest {
  readonly method?: string;
  /** Any headers, including ones `fetch` refuses to send (Host, Connection, Cookie, ...). */
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Path and query, e.g. `/graphql?query=...`; defaults to the URL's. */
  readonly path?: string;
}

/**
 * One request with node:http, for what `fetch` will not send: hop-by-hop and
 * forbidden headers, odd methods, raw bytes. A fresh connection each time.
 */
export function rawRequest(url: string, request: RawRequest = {}): Promise<RawAnswer> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method ?? 'GET',
        path: request.path ?? `${target.pathname}${target.search}`,
        headers: request.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json, ms: performance.now() - started });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
