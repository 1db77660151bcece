import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { startDemoUpstreams } from '../../src/demo/server.js';

/**
 * `node --import tsx scripts/hardening/queue-flood.ts [--loops 36 --seconds 16 --latency 800 --verbose]`
 *
 * One client floods the per-service wait queues: `--loops` concurrent loops
 * of a query with 10 aliases of `users(ids: 100 unknown ids) { orders { id }
 * notifications { id } }` (fresh ids each time, so no call is shared), from
 * 127.0.0.2, against a gateway (its own process) whose upstreams (the demo
 * ones, in this process) answer after `--latency` ms. Meanwhile a victim at
 * 127.0.0.3 asks for a dashboard in a loop. Prints the victim's good answers,
 * how often each circuit breaker opened, and the gateway's own CPU time.
 * Not part of `npm test`: test/integration/queue-fairness.test.ts is the
 * scaled-down version that is.
 */
const { values } = parseArgs({
  options: {
    loops: { type: 'string', default: '36' },
    seconds: { type: 'string', default: '16' },
    latency: { type: 'string', default: '800' },
    verbose: { type: 'boolean', default: false },
  },
});
const loops = Number(values.loops);
const seconds = Number(values.seconds);

// The upstreams live in this process, as real ones would live elsewhere: the gateway's CPU is its own.
const latencyMs = Number(values.latency);
const upstreams = await startDemoUpstreams({ knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs }])) });
const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'info' };
for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_SERVICE_URL`] = upstreams.urls[name].href;
const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const opened: Record<string, number> = {};
const port = await new Promise<number>((resolve) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let log: Record<string, unknown>;
    try {
      log = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof log['port'] === 'number') resolve(log['port']);
    if (String(log['msg']).startsWith('circuit opened')) opened[String(log['upstream'])] = (opened[String(log['upstream'])] ?? 0) + 1;
  });
});

function post(localAddress: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: safeJson(text) }));
      },
    );
    request.on('error', () => resolve({ status: 0, json: undefined }));
    request.end(JSON.stringify(body));
  });
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const aliases = Array.from({ length: 10 }, (_, index) => `a${index}: users(ids: $i${index}) { orders { id } notifications { id } }`);
const attackQuery = `query Flood(${aliases.map((_, index) => `$i${index}: [ID!]!`).join(', ')}) { ${aliases.join(' ')} }`;
let serial = 0;
const freshIds = () => Array.from({ length: 100 }, () => `nobody-${serial++}`);

/** The gateway's own CPU time (user + system), in ms, from /proc. */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const cpuBefore = cpuMs();
const endAt = Date.now() + seconds * 1000;
let attackAnswers = 0;
const attacker = async () => {
  while (Date.now() < endAt) {
    const variables = Object.fromEntries(aliases.map((_, index) => [`i${index}`, freshIds()]));
    await post('127.0.0.2', { query: attackQuery, variables });
    attackAnswers++;
  }
};
const victim = { good: 0, bad: 0, latencies: [] as number[] };
const victimLoop = async () => {
  while (Date.now() < endAt) {
    const started = Date.now();
    const answer = await post('127.0.0.3', { query: '{ dashboard(userId: "1") { user { name } orders { id } notifications { id } } }' });
    const good = answer.status === 200 && answer.json?.data?.dashboard?.user && !answer.json.extensions?.errors;
    if (good) {
      victim.good++;
      victim.latencies.push(Date.now() - started);
    } else {
      victim.bad++;
      if (values.verbose) console.error(`victim: ${answer.status} in ${Date.now() - started} ms`, JSON.stringify(answer.json?.extensions?.errors ?? answer.json?.errors));
    }
  }
};

await Promise.all([...Array.from({ length: loops }, attacker), victimLoop()]);
victim.latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    loops,
    seconds,
    upstreamLatencyMs: latencyMs,
    gatewayCpuMs: cpuMs() - cpuBefore,
    attackAnswers,
    victimGood: victim.good,
    victimBad: victim.bad,
    victimMedianMs: victim.latencies[victim.latencies.length >> 1] ?? null,
    breakerOpenings: opened,
  }),
);
child.kill('SIGTERM');
await upstreams.close();
