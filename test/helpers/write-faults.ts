import type http from 'node:http';
import { createDemoData } from '../../src/demo/data.js';
import { DemoWrites, type DemoWriteAnswer } from '../../src/demo/writes.js';
import { sendJson, startUpstream, type TestUpstream } from './upstream.js';

/**
 * A real orders service for write tests: the demo's order store (idempotency
 * keys included) behind a loopback server whose answer to each POST a fault
 * decides. `place` reads the request's body and carries the write out, as the
 * service would; a fault that never calls it is one that struck before the
 * service read the request. Every order the store places is counted, so a
 * test can tell how many orders a fault really cost.
 */
export type Place = () => Promise<DemoWriteAnswer>;
export type WriteFault = (request: http.IncomingMessage, response: http.ServerResponse, place: Place) => void;

export interface OrdersUpstream extends TestUpstream {
  readonly store: DemoWrites;
  /** POSTs received (attempts that reached the service). */
  readonly posts: () => number;
}

export async function startOrdersUpstream(fault: WriteFault): Promise<OrdersUpstream> {
  const store = new DemoWrites(createDemoData());
  let posts = 0;
  const upstream = await startUpstream((request, response) => {
    if (request.method !== 'POST') return sendJson(response, 404, { error: 'not found' });
    posts++;
    fault(request, response, () => carryOut(store, request));
  });
  return { ...upstream, store, posts: () => posts };
}

function carryOut(store: DemoWrites, request: http.IncomingMessage): Promise<DemoWriteAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => {
      const key = request.headers['idempotency-key'];
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      resolve(store.answer('placeOrder', { body, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) }));
    });
  });
}

/** The service at its best. */
export const healthy: WriteFault = (_request, response, place) => void place().then(({ status, body }) => sendJson(response, status, body));

/** Places the order, and never answers. */
export const hangAfterPlacing: WriteFault = (_request, _response, place) => void place();

/** A TCP reset before the service read the request: no order. */
export const resetBeforeRead: WriteFault = (request) => request.socket.resetAndDestroy();

/** Places the order, then a TCP reset instead of the answer. */
export const resetAfterPlacing: WriteFault = (request, _response, place) => void place().then(() => request.socket.resetAndDestroy());

/** An error status from in front of the service (a proxy, a load balancer): no order. */
export function status(code: number, headers: Record<string, string> = {}): WriteFault {
  return (_request, response) => {
    response.writeHead(code, { 'content-type': 'application/json', ...headers });
    response.end('{"error":"unavailable"}');
  };
}

/** Places the order, then answers 201 with a body that is not JSON. */
export const garbageAfterPlacing: WriteFault = (_request, response, place) =>
  void place().then(() => {
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end('<html>upstream error at orders-7f9c.internal</html>');
  });

/** `fault` for the first `times` POSTs, then the healthy service. */
export function first(times: number, fault: WriteFault): WriteFault {
  let seen = 0;
  return (request, response, place) => (seen++ < times ? fault : healthy)(request, response, place);
}

/**
 * The catalogue of faults a placeOrder is put through (write-faults.test.ts,
 * scripts/write-fault-table.ts). Each entry makes a fresh fault: "once" faults count.
 */
export const WRITE_FAULTS: ReadonlyArray<{ readonly name: string; readonly fault: () => WriteFault | 'closed port' }> = [
  { name: 'hang (order placed, no answer)', fault: () => hangAfterPlacing },
  { name: 'reset before the request is read', fault: () => resetBeforeRead },
  { name: 'reset after the request is read (order placed)', fault: () => resetAfterPlacing },
  { name: '502', fault: () => status(502) },
  { name: '503', fault: () => status(503) },
  { name: '504', fault: () => status(504) },
  { name: '429 with Retry-After: 1', fault: () => status(429, { 'retry-after': '1' }) },
  { name: 'closed port', fault: () => 'closed port' },
  { name: 'garbage body (order placed)', fault: () => garbageAfterPlacing },
  { name: 'reset after the request is read, once', fault: () => first(1, resetAfterPlacing) },
  { name: '503, once', fault: () => first(1, status(503)) },
  { name: '429 with Retry-After: 1, once', fault: () => first(1, status(429, { 'retry-after': '1' })) },
];

export const PLACE_ORDER = /* GraphQL */ `
  mutation Place($key: String) {
    placeOrder(input: { userId: "1", productId: "p3", quantity: 2 }, idempotencyKey: $key) {
      order { id }
      idempotencyKey
      userErrors { code }
    }
  }
`;
