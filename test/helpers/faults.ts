import type http from 'node:http';
import { sendJson } from './upstream.js';

/**
 * Misbehaviours of a real upstream, as request handlers for a loopback server.
 * Each is what some production service has done to a gateway at some point.
 */
type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export const ORDER = { id: 'o1', userId: '1', productId: 'p1', quantity: 1, total: 9.5, status: 'paid', createdAt: '2026-01-01T00:00:00.000Z' };

/** Accepts the request and never answers. */
export const hang: Handler = () => {};

/** Sends the status line and headers, then nothing. */
export const headersThenStall: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.flushHeaders();
};

/** A valid body, one byte every `everyMs`. */
export function drip(everyMs: number): Handler {
  return (_req, res) => {
    const body = JSON.stringify([ORDER]);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= body.length || res.destroyed) return clearInterval(timer);
      res.write(body[sent++]);
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Half a body, then a TCP reset. */
export const resetMidBody: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
  res.write('[{"id":"o1",');
  setTimeout(() => req.socket.resetAndDestroy(), 20);
};

/** Content-Length promises more than is sent before the connection closes. */
export const truncated: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 500 });
  res.write(JSON.stringify([ORDER]).slice(0, 40));
  setTimeout(() => req.socket.end(), 20);
};

export function html(status: number): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end('<html><body><h1>Bad Gateway</h1>nginx/1.25 at orders-7f9c.internal</body></html>');
  };
}

export function status(code: number, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end('{"error":"unavailable"}');
  };
}

/** `failures` answers from `failing`, then good orders. */
export function failThenSucceed(failures: number, failing: Handler): Handler {
  let seen = 0;
  return (req, res) => (seen++ < failures ? failing(req, res) : sendJson(res, 200, [ORDER]));
}

export function redirectTo(location: string): Handler {
  return (_req, res) => {
    res.writeHead(302, { location });
    res.end();
  };
}

/** An endless chunked JSON body (no Content-Length): only a streaming limit stops it. */
export const endlessBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('[');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
};

/** Announces a 200 MB body. */
export const hugeDeclaredBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 200 * 1024 * 1024 });
  res.write('[');
};

/** Valid orders, plus keys that would pollute prototypes if merged naively. */
export const prototypePollution: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    `[{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(ORDER).slice(1)}]`,
  );
};
