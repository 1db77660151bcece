import { execSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchCache, CACHE_OFF, cacheReport } from './cache.js';
import { cpuMs, drive, freePort, message, peakRssMb, randomUser, waitForPort, type Load } from './measure.js';

/**
 * `npm run bench [-- --quick] [-- --runs 3] [-- --write]`
 *
 * Four processes: the demo upstreams (fixed latency), the built gateway, and
 * two floors doing the dashboard's three calls with no GraphQL (floor.ts): the
 * raw floor with undici, and the got floor with got set up as the gateway sets
 * it up. autocannon (in this process) drives each in turn; for each it reports
 * throughput, p50/p99, CPU per request (from /proc), upstream calls per query
 * and peak RSS (VmHWM), with the ratios to both floors.
 * `--profile` also writes a CPU profile of the gateway to test-output/profile/.
 * Then the entity cache: the dashboard with it off, in memory and in Redis (cache.ts).
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
    latency: { type: 'string', default: '20' },
    profile: { type: 'boolean', default: false },
  },
});
const LATENCY = Number(values.latency);
const SECONDS = values.quick ? 4 : 10;
const RUNS = Number(values.runs);
const CONNECTIONS = 64;

const DASHBOARD = `query Dashboard($userId: ID!) { dashboard(userId: $userId) { user { id name email } orders { id productId quantity total status createdAt } notifications { id message read createdAt } } }`;
const NESTED = `query Nested($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name stock { available } } } notifications { id } } }`;
const FIFTY = Array.from({ length: 50 }, (_, i) => String(i + 1));

const gatewayRequest = (connections: number, duration: number): autocannon.Options => ({
  url: '',
  connections,
  duration,
  requests: [
    {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: DASHBOARD, variables: { userId: randomUser() } }) }),
    },
  ],
});
const rawRequest = (connections: number, duration: number): autocannon.Options => ({
  url: '',
  connections,
  duration,
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/dashboard?userId=${randomUser()}` }) }],
});

interface Row {
  name: string;
  load: Load;
  one: Load;
  cpuPerRequestMs: number;
  peakRssMb: number;
  callsPerQuery: number;
}

async function measure(name: string, child: ChildProcess, port: number, build: (c: number, d: number) => autocannon.Options, upstreams: ChildProcess): Promise<Row> {
  const url = `http://127.0.0.1:${port}`;
  await drive({ ...build(CONNECTIONS, 2), url }, CONNECTIONS); // warm-up: JIT, sockets
  upstreams.send('reset');
  const cpuBefore = cpuMs(child.pid!);
  const load = await drive({ ...build(CONNECTIONS, SECONDS), url }, CONNECTIONS);
  const cpuPerRequestMs = (cpuMs(child.pid!) - cpuBefore) / load.requests;
  const peak = peakRssMb(child.pid!);
  const { calls } = await message<{ calls: Record<string, number> }>(upstreams, 'stats');
  const callsPerQuery = Object.values(calls).reduce((a, b) => a + b, 0) / load.requests;
  const one = await drive({ ...build(1, Math.max(3, SECONDS / 2)), url }, CONNECTIONS);
  return { name, load, one, cpuPerRequestMs, peakRssMb: peak, callsPerQuery };
}

interface NestedResult {
  calls: number;
  p50: number;
  cpuMs: number;
  rawP50: number;
}

const NESTED_RUNS = values.quick ? 30 : 100;

async function p50Of(send: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < NESTED_RUNS; i++) {
    const started = performance.now();
    await send();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function nested(port: number, gateway: ChildProcess, rawPort: number, upstreams: ChildProcess): Promise<NestedResult> {
  const url = `http://127.0.0.1:${port}/graphql`;
  const body = JSON.stringify({ query: NESTED, variables: { ids: FIFTY } });
  const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.json());
  const raw = () => fetch(`http://127.0.0.1:${rawPort}/nested?ids=${FIFTY.join(',')}`).then((r) => r.json());
  for (let i = 0; i < 20; i++) await Promise.all([post(), raw()]);
  upstreams.send('reset');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await post();
  const { calls } = await message<{ calls: Record<string, number> }>(upstreams, 'stats');
  // At one connection the gateway's CPU for a query sits on its critical path, between and after the two waves of calls.
  const cpuBefore = cpuMs(gateway.pid!);
  const p50 = await p50Of(post);
  const cpu = (cpuMs(gateway.pid!) - cpuBefore) / NESTED_RUNS;
  return { calls: Object.values(calls).reduce((a, b) => a + b, 0), p50, cpuMs: cpu, rawP50: await p50Of(raw) };
}

async function once() {
  const upstreams = fork('scripts/bench/upstreams.ts', { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_LATENCY_MS: String(LATENCY) } });
  const { urls } = await message<{ urls: Record<string, string> }>(upstreams);
  const env = { ...process.env, ...Object.fromEntries(Object.entries(urls).map(([name, url]) => [`${name.toUpperCase()}_SERVICE_URL`, url])) };

  const raw = fork('scripts/bench/raw-fanout.ts', { execArgv: ['--import', 'tsx'], env });
  const { port: rawPort } = await message<{ port: number }>(raw);
  const gotFloor = fork('scripts/bench/got-fanout.ts', { execArgv: ['--import', 'tsx'], env });
  const { port: gotPort } = await message<{ port: number }>(gotFloor);
  const gatewayPort = await freePort();
  // --profile: a V8 CPU profile of the gateway, written on exit (node --cpu-prof), for `node scripts/bench/top.ts`.
  const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir=test-output/profile'] : [];
  // The cache off, as the raw server has none: the entity cache has its own section (cache.ts).
  const gatewayEnv = { ...env, ...CACHE_OFF, PORT: String(gatewayPort), LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  const gateway = spawn(process.execPath, [...profile, 'dist/main.js'], { env: gatewayEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(gatewayPort);

  try {
    const rawRow = await measure('raw floor (node:http + undici)', raw, rawPort, rawRequest, upstreams);
    const gotRow = await measure('got floor (node:http + got as the gateway sets it up)', gotFloor, gotPort, rawRequest, upstreams);
    const gatewayRow = await measure('gateway', gateway, gatewayPort, gatewayRequest, upstreams);
    const nestedResult = await nested(gatewayPort, gateway, rawPort, upstreams);
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
    const cacheResult = await benchCache({ env, upstreams, seconds: SECONDS, connections: CONNECTIONS });
    return { rawRow, gotRow, gatewayRow, nestedResult, cacheResult };
  } finally {
    gateway.kill('SIGTERM');
    raw.kill('SIGTERM');
    gotFloor.kill('SIGTERM');
    upstreams.disconnect();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

execSync('npm run -s build', { stdio: 'inherit' });
const results: Array<Awaited<ReturnType<typeof once>>> = [];
for (let run = 0; run < RUNS; run++) {
  results.push(await once());
  process.stdout.write(`run ${run + 1}/${RUNS} done\n`);
}
const pick = (f: (r: (typeof results)[number]) => number) => median(results.map(f));
const ROWS = ['rawRow', 'gotRow', 'gatewayRow'] as const;
const floor = (key: 'rawRow' | 'gotRow') => ({
  rps: pick((r) => r[key].load.rps),
  cpu: pick((r) => r[key].cpuPerRequestMs),
  rss: pick((r) => r[key].peakRssMb),
});
const [rawFloor, gotFloor] = [floor('rawRow'), floor('gotRow')];
const table = [
  `| system | req/s @${CONNECTIONS} | ÷ raw / ÷ got | p50 / p99 @${CONNECTIONS} (ms) | p50 @1 (ms) | CPU per request (ms) | − got floor | upstream calls per query | peak RSS (MB) | ÷ raw |`,
  '|---|---|---|---|---|---|---|---|---|---|',
  ...ROWS.map((key) => {
    const rps = pick((r) => r[key].load.rps);
    const cpu = pick((r) => r[key].cpuPerRequestMs);
    const rss = pick((r) => r[key].peakRssMb);
    return `| ${results[0]![key].name} | ${rps.toFixed(0)} | ${(rps / rawFloor.rps).toFixed(2)} / ${(rps / gotFloor.rps).toFixed(2)} | ${pick((r) => r[key].load.p50)} / ${pick((r) => r[key].load.p99)} | ${pick((r) => r[key].one.p50)} | ${cpu.toFixed(3)} | ${(cpu - gotFloor.cpu).toFixed(3)} | ${pick((r) => r[key].callsPerQuery).toFixed(2)} | ${rss.toFixed(0)} | ${(rss / rawFloor.rss).toFixed(2)} |`;
  }),
];
const errors = results.reduce((sum, r) => sum + ROWS.reduce((rowSum, key) => rowSum + r[key].load.errors, 0), 0);
const summary = [
  `Nested 50-user query on the gateway: ${pick((r) => r.nestedResult.calls)} upstream calls, p50 ${pick((r) => r.nestedResult.p50).toFixed(1)} ms (target <= ${2 * LATENCY + 8} ms), gateway CPU ${pick((r) => r.nestedResult.cpuMs).toFixed(1)} ms per query; the same two waves by hand on the raw server: p50 ${pick((r) => r.nestedResult.rawP50).toFixed(1)} ms.`,
  `Errors and non-2xx answers during load: ${errors}.`,
];
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const report = [
  `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench --${values.quick ? ' --quick' : ''} --runs ${RUNS}\``,
  '',
  `Machine: ${machine}. Upstream latency ${LATENCY} ms; ${SECONDS} s per load run; medians of ${RUNS} run(s).`,
  '',
  ...table,
  '',
  ...summary,
  '',
  '#### Entity cache',
  '',
  `The dashboard over ${CONNECTIONS} connections, every request forwarding its user's credentials (orders and notifications are \`private\`), after every user was asked for once; the demo upstreams' Cache-Control.`,
  '',
  ...cacheReport(
    results.map((r) => r.cacheResult),
    median,
  ),
  '',
].join('\n');
process.stdout.write(`\n${report}\n`);
if (values.write) appendFileSync('BENCHMARKS.md', `\n${report}`);
