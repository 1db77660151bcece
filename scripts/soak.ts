import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SERVICE_NAMES } from '../src/services/index.js';
import { startDemoUpstreams } from '../src/demo/server.js';

/**
 * `npm run soak [-- --seconds 180 --concurrency 32 --requests N]`: drives the
 * gateway (own process) with dashboard and nested queries while the orders and
 * inventory upstreams misbehave in a mix of ways (hang, 503, reset, garbage,
 * slow), and prints RSS, open sockets and event-loop delay over time. They
 * must stay flat. Not part of `npm test`.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    concurrency: { type: 'string', default: '32' },
    requests: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const maxRequests = values.requests ? Number(values.requests) : Number.POSITIVE_INFINITY;

// Every service but the two faulty ones is a well-behaved demo upstream.
const healthy = SERVICE_NAMES.filter((name) => name !== 'orders' && name !== 'inventory');
const demo = await startDemoUpstreams({ services: healthy });
const mixed = (request: http.IncomingMessage, response: http.ServerResponse) => {
  const roll = Math.random();
  if (roll < 0.05) return; // hang
  if (roll < 0.25) return void response.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  if (roll < 0.3) return void request.socket.destroy();
  if (roll < 0.35) return void response.writeHead(200, { 'content-type': 'application/json' }).end('not json');
  setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'), roll < 0.5 ? 300 : 5);
};
const faulty = await Promise.all(
  [0, 1].map(
    () =>
      new Promise<http.Server>((resolve) => {
        const server = http.createServer(mixed);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
const urlOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

// GraphiQL off unless asked for: it needs `npm run build`, and the soak is about upstream faults.
const env: Record<string, string> = { GRAPHIQL: 'false', ...process.env, LOG_LEVEL: 'silent', ORDERS_SERVICE_URL: urlOf(faulty[0]!), INVENTORY_SERVICE_URL: urlOf(faulty[1]!) };
for (const name of healthy) env[`${name.toUpperCase()}_SERVICE_URL`] = demo.urls[name].href;
for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_TIMEOUT_MS`] = '1000';

const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/soak-gateway.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const port = await new Promise<number>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line).port)));
const samples: Array<{ rssMb: number; heapMb: number; sockets: number; loopDelayP99Ms: number }> = [];
lines.on('line', (line) => samples.push(JSON.parse(line)));

const queries = [
  `{ dashboard(userId: "UID") { user { name } orders { id product { name stock { available } } } notifications { id } } }`,
  `{ users(ids: ["UID", "2", "3"]) { name orders { id } } products(ids: ["p1", "p2"]) { stock { available } } }`,
];
let sent = 0;
let answered = 0;
let non200 = 0;
const started = Date.now();
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(body: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request({ port, host: '127.0.0.1', path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

async function worker(): Promise<void> {
  while (Date.now() - started < seconds * 1000 && sent < maxRequests) {
    sent++;
    const query = queries[sent % queries.length]!.replace('UID', String(1 + (sent % 300)));
    const status = await post(JSON.stringify({ query }));
    answered++;
    if (status !== 200) non200++;
  }
}

const report = setInterval(() => {
  const last = samples.at(-1);
  if (!last) return;
  process.stdout.write(
    `${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s  requests ${String(answered).padStart(7)}  rss ${last.rssMb.toFixed(1)} MB  heap ${last.heapMb.toFixed(1)} MB  sockets ${last.sockets}  loop p99 ${last.loopDelayP99Ms.toFixed(1)} ms\n`,
  );
}, 5000);

const first = await new Promise<(typeof samples)[number]>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
await Promise.all(Array.from({ length: concurrency }, worker));
clearInterval(report);
await new Promise((resolve) => setTimeout(resolve, 2500)); // let hung calls time out, then sample once more
const last = samples.at(-1)!;
process.stdout.write(
  `\n${answered} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, ${non200} not 200\n` +
    `RSS ${first.rssMb.toFixed(1)} MB at start -> ${last.rssMb.toFixed(1)} MB at end (peak ${Math.max(...samples.map((s) => s.rssMb)).toFixed(1)} MB)\n` +
    `open sockets at end: ${last.sockets}; event-loop p99 max ${Math.max(...samples.map((s) => s.loopDelayP99Ms)).toFixed(1)} ms\n`,
);
child.kill('SIGTERM');
agent.destroy();
faulty.forEach((server) => server.closeAllConnections());
faulty.forEach((server) => server.close());
await demo.close();
process.exit(non200 === 0 ? 0 : 1);
