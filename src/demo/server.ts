import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_NAMES, type ServiceName } from '../services/index.js';
import { createDemoData, type DemoData } from './data.js';
import { answerDemoRequest, demoRoutes } from './routes.js';
import { DemoWrites, type DemoWriteAnswer } from './writes.js';

/** Per-service behaviour a person (or a test) can change while the demo runs. */
export interface DemoKnobs {
  /** Delay before every answer. */
  latencyMs: number;
  /** Answer every request with this status instead of data. */
  failStatus: number | null;
  /** Never answer. */
  hang: boolean;
  /** Answer every write with this status, without carrying it out. */
  writeFailStatus: number | null;
  /** Carry out every write, and never answer. */
  writeHang: boolean;
  /** `Cache-Control` of every answer: `undefined` for each read's own (data.ts), `null` for none. */
  cacheControl?: string | null;
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface DemoServiceStats {
  readonly calls: RecordedCall[];
  inFlight: number;
  maxInFlight: number;
}

export interface DemoUpstreams {
  readonly urls: Readonly<Record<ServiceName, URL>>;
  readonly knobs: Record<ServiceName, DemoKnobs>;
  readonly stats: Readonly<Record<ServiceName, DemoServiceStats>>;
  /** The writes carried out so far (e.g. the orders placed). */
  readonly writes: DemoWrites;
  /** Forgets recorded calls and in-flight peaks. */
  resetStats(): void;
  close(): Promise<void>;
}

export interface DemoOptions {
  readonly services?: readonly ServiceName[];
  readonly knobs?: Partial<Record<ServiceName, Partial<DemoKnobs>>>;
  readonly host?: string;
  /** Fixed ports; 0 or absent picks a free one. */
  readonly ports?: Partial<Record<ServiceName, number>>;
  readonly data?: DemoData;
}

/** Starts one loopback HTTP server per service, each serving its routes of the REST contract. */
export async function startDemoUpstreams(options: DemoOptions = {}): Promise<DemoUpstreams> {
  const data = options.data ?? createDemoData();
  const routes = demoRoutes(data);
  const writes = new DemoWrites(data);
  const services = options.services ?? SERVICE_NAMES;
  const knobs = {} as Record<ServiceName, DemoKnobs>;
  const stats = {} as Record<ServiceName, DemoServiceStats>;
  const urls = {} as Record<ServiceName, URL>;
  const servers: http.Server[] = [];

  for (const name of services) {
    knobs[name] = { latencyMs: 0, failStatus: null, hang: false, writeFailStatus: null, writeHang: false, ...options.knobs?.[name] };
    stats[name] = { calls: [], inFlight: 0, maxInFlight: 0 };
    const server = http.createServer((request, response) => {
      const stat = stats[name];
      stat.calls.push({ method: request.method ?? 'GET', path: request.url ?? '', headers: request.headers });
      stat.inFlight++;
      stat.maxInFlight = Math.max(stat.maxInFlight, stat.inFlight);
      response.on('close', () => stat.inFlight--);
      const { latencyMs, failStatus, hang } = knobs[name];
      if (hang) return;
      if (request.method === 'POST') return answerWrite(request, response, writes, name, knobs[name]);
      const timer = setTimeout(() => {
        if (failStatus !== null) return send(response, failStatus, { error: `demo ${name} is set to fail` });
        let answer;
        try {
          answer = answerDemoRequest(routes[name], new URL(request.url ?? '/', 'http://demo'));
        } catch {
          return send(response, 400, { error: 'malformed path' });
        }
        if (!answer || answer.status === 404) return send(response, 404, { error: 'not found' });
        const { cacheControl = answer.status === 200 ? answer.cacheControl : null } = knobs[name];
        send(response, answer.status, answer.body, cacheControl);
      }, latencyMs);
      response.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => server.listen(options.ports?.[name] ?? 0, options.host ?? '127.0.0.1', resolve));
    const { address, port } = server.address() as AddressInfo;
    urls[name] = new URL(`http://${address}:${port}/`);
    servers.push(server);
  }

  return {
    urls,
    knobs,
    stats,
    writes,
    resetStats() {
      for (const stat of Object.values(stats)) {
        stat.calls.length = 0;
        stat.maxInFlight = stat.inFlight;
      }
    },
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

const MAX_WRITE_BODY_BYTES = 64 * 1024;

/** A POST: the body read whole, then the service's latency and knobs, then the write carried out. */
function answerWrite(request: http.IncomingMessage, response: http.ServerResponse, writes: DemoWrites, service: ServiceName, knobs: DemoKnobs): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_WRITE_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_WRITE_BODY_BYTES) return send(response, 413, { error: 'body too large' });
    const timer = setTimeout(() => {
      const { failStatus, writeFailStatus, writeHang } = knobs;
      const fail = writeFailStatus ?? failStatus;
      if (fail !== null) return send(response, fail, { error: `demo ${service} is set to fail` });
      const answer = carryOut(request, Buffer.concat(chunks), writes, service);
      if (!writeHang) send(response, answer.status, answer.body);
    }, knobs.latencyMs);
    response.on('close', () => clearTimeout(timer));
  });
}

function carryOut(request: http.IncomingMessage, raw: Buffer, writes: DemoWrites, service: ServiceName): DemoWriteAnswer {
  let route;
  let body: unknown;
  try {
    route = writes.route(service, new URL(request.url ?? '/', 'http://demo').pathname.split('/').filter(Boolean).map(decodeURIComponent));
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'malformed path or body' } };
  }
  if (!route) return { status: 404, body: { error: 'not found' } };
  const key = request.headers['idempotency-key'];
  return writes.answer(route.write, { key: route.key, body, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
}

function send(response: http.ServerResponse, status: number, body: unknown, cacheControl: string | null = null): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...(cacheControl === null ? {} : { 'cache-control': cacheControl }),
  });
  response.end(json);
}
