import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_NAMES, type ServiceName } from '../services/index.js';
import { createDemoData, type DemoData } from './data.js';
import { answerDemoRequest, demoRoutes } from './routes.js';

/** Per-service behaviour a person (or a test) can change while the demo runs. */
export interface DemoKnobs {
  /** Delay before every answer. */
  latencyMs: number;
  /** Answer every request with this status instead of data. */
  failStatus: number | null;
  /** Never answer. */
  hang: boolean;
  /** `Cache-Control` of every answer: `undefined` for each read's own (data.ts), `null` for none. */
  cacheControl?: string | null;
}

export interface RecordedCall {
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
  const services = options.services ?? SERVICE_NAMES;
  const knobs = {} as Record<ServiceName, DemoKnobs>;
  const stats = {} as Record<ServiceName, DemoServiceStats>;
  const urls = {} as Record<ServiceName, URL>;
  const servers: http.Server[] = [];

  for (const name of services) {
    knobs[name] = { latencyMs: 0, failStatus: null, hang: false, ...options.knobs?.[name] };
    stats[name] = { calls: [], inFlight: 0, maxInFlight: 0 };
    const server = http.createServer((request, response) => {
      const stat = stats[name];
      stat.calls.push({ path: request.url ?? '', headers: request.headers });
      stat.inFlight++;
      stat.maxInFlight = Math.max(stat.maxInFlight, stat.inFlight);
      response.on('close', () => stat.inFlight--);
      const { latencyMs, failStatus, hang } = knobs[name];
      if (hang) return;
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

function send(response: http.ServerResponse, status: number, body: unknown, cacheControl: string | null = null): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...(cacheControl === null ? {} : { 'cache-control': cacheControl }),
  });
  response.end(json);
}
