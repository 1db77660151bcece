/**
 * `npm run bench:workers`: throughput of the real process with WORKERS=1 and
 * WORKERS=2 (or BENCH_WORKERS="1 2 4"), against the built-in demo upstreams,
 * measured with autocannon on loopback. Each run starts a fresh gateway and
 * stops it with SIGTERM. Load generator, gateway and demo upstreams share the
 * machine, so read the numbers as relative.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const QUERY = '{ dashboard(userId: "7") { user { name } orders { id total product { name price } } notifications { message } } }';
const workerCounts = (process.env['BENCH_WORKERS'] ?? '1 2').split(/\s+/).filter(Boolean).map(Number);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 15);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);

async function run(workers: number): Promise<AutocannonResult> {
  // LOG_LEVEL=info as in production: the per-request log line is part of the cost.
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', WORKERS: String(workers), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let listening = 0;
    child.on('exit', () => reject(new Error(`gateway exited early:\n${out}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (listening >= workers) return; // from here on, request lines: drop them
      out += chunk.toString();
      const ports = [...out.matchAll(/"port":(\d+)/g)].map((match) => Number(match[1]));
      listening = ports.length;
      if (listening >= workers) resolve(ports[0]!);
    });
  });
  await warmUp(port);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
    connections,
    duration: seconds,
  });
  child.kill('SIGTERM');
  await once(child, 'exit');
  return result;
}

async function warmUp(port: number): Promise<void> {
  await autocannon({ url: `http://127.0.0.1:${port}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }), connections: 10, duration: 3 });
}

const results: string[] = [];
for (const workers of workerCounts) {
  const result = await run(workers);
  results.push(
    `WORKERS=${workers}: ${result.requests.average.toFixed(0)} req/s (total ${result.requests.total}), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  process.stdout.write(`${results.at(-1)}\n`);
}
process.stdout.write(`\n${connections} connections, ${seconds} s each, query: ${QUERY}\n`);
