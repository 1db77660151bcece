import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type autocannon from 'autocannon';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { cpuMs, drive, freePort, message, peakRssMb, waitForPort, type Load } from './measure.js';

/**
 * The entity cache under the dashboard load (user, orders, notifications of a
 * random user of 300), every request forwarding its user's credentials to
 * orders and notifications, so that their `private` rows may be kept. The same
 * gateway with the cache off, with the memory store, and with a Redis store (a
 * redis-server started here), each measured after a warm-up that asks for
 * every user once. Then the memory store's bound: credentials unique to each
 * request and private rows fresh for 10 minutes, so every row is new and
 * stays, and the store fills up and evicts, against the same traffic with no
 * cache.
 */
const DASHBOARD = `query Dashboard($userId: ID!) { dashboard(userId: $userId) { user { id name email } orders { id productId quantity total status createdAt } notifications { id message read createdAt } } }`;
const USERS = 300;
// The default CACHE_MAX_BYTES.
const BOUND_BYTES = 64 * 1024 * 1024;
// Long enough for new private rows on every request to fill the store (a fifth of the bound) and have it evict.
const BOUND_SECONDS = 45;

export const CACHE_OFF: Record<string, string> = Object.fromEntries(SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_CACHE`, 'false']));
const FORWARDING = { ORDERS_FORWARD_HEADERS: 'authorization', NOTIFICATIONS_FORWARD_HEADERS: 'authorization' };

export interface CacheRow {
  readonly name: string;
  readonly load: Load;
  readonly cpuPerRequestMs: number;
  readonly callsPerRequest: number;
  readonly peakRssMb: number;
  /** What the memory store held at the end (gateway_cache_memory_bytes). */
  readonly cacheBytes: number;
}

export interface CacheResult {
  readonly rows: CacheRow[];
  /** Peak RSS (MB) under unique credentials per request: no cache, and the memory store bounded to BOUND_BYTES (and what it held). */
  readonly bound: { readonly baselineMb: number; readonly memoryMb: number; readonly heldMb: number };
  readonly redis: boolean;
}

interface Setup {
  /** The upstream URLs and what the bench passes to every gateway. */
  readonly env: NodeJS.ProcessEnv;
  readonly upstreams: ChildProcess;
  readonly seconds: number;
  readonly connections: number;
}

type Credentials = (userId: string) => string;
const perUser: Credentials = (userId) => `Bearer user-${userId}`;
let churn = 0;
const perRequest: Credentials = () => `Bearer churn-${churn++}`;

export async function benchCache(setup: Setup): Promise<CacheResult> {
  const redis = await startRedis();
  try {
    const rows = [
      await measureGateway(setup, 'cache off', CACHE_OFF, perUser),
      await measureGateway(setup, 'memory store', {}, perUser),
      ...(redis ? [await measureGateway(setup, 'Redis store', { CACHE_STORE: redis.url }, perUser)] : []),
    ];
    const churn = { ...setup, seconds: BOUND_SECONDS };
    setup.upstreams.send('long-lived private rows');
    const baseline = await measureGateway(churn, 'cache off, new credentials per request', CACHE_OFF, perRequest);
    const bounded = await measureGateway(churn, 'memory store, new credentials per request', { CACHE_MAX_BYTES: String(BOUND_BYTES) }, perRequest);
    setup.upstreams.send('demo headers');
    const bound = { baselineMb: baseline.peakRssMb, memoryMb: bounded.peakRssMb, heldMb: bounded.cacheBytes / 2 ** 20 };
    return { rows, bound, redis: redis !== undefined };
  } finally {
    redis?.stop();
  }
}

async function measureGateway(setup: Setup, name: string, cacheEnv: Record<string, string>, credentials: Credentials): Promise<CacheRow> {
  const port = await freePort();
  const env = { ...setup.env, ...FORWARDING, ...cacheEnv, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  const gateway = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitForPort(port);
    const url = `http://127.0.0.1:${port}`;
    await askEveryUser(url, credentials);
    await drive({ ...dashboardLoad(2, credentials), url }, setup.connections); // warm-up: JIT, sockets
    setup.upstreams.send('reset');
    const cpuBefore = cpuMs(gateway.pid!);
    const load = await drive({ ...dashboardLoad(setup.seconds, credentials), url }, setup.connections);
    const cpuPerRequestMs = (cpuMs(gateway.pid!) - cpuBefore) / load.requests;
    const { calls } = await message<{ calls: Record<string, number> }>(setup.upstreams, 'stats');
    const callsPerRequest = Object.values(calls).reduce((a, b) => a + b, 0) / load.requests;
    return { name, load, cpuPerRequestMs, callsPerRequest, peakRssMb: peakRssMb(gateway.pid!), cacheBytes: await cacheBytesOf(url) };
  } finally {
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
  }
}

async function cacheBytesOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^gateway_cache_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0);
}

/** The warm-up that makes "after warm-up" true: every user's dashboard asked for once, 16 at a time. */
async function askEveryUser(url: string, credentials: Credentials): Promise<void> {
  let next = 1;
  const worker = async () => {
    for (let id = next++; id <= USERS; id = next++) {
      const userId = String(id);
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: credentials(userId) },
        body: JSON.stringify({ query: DASHBOARD, variables: { userId } }),
      }).then((response) => response.arrayBuffer());
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function dashboardLoad(duration: number, credentials: Credentials): autocannon.Options {
  return {
    url: '',
    duration,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        setupRequest: (request) => {
          const userId = String(1 + Math.floor(Math.random() * USERS));
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: credentials(userId) },
            body: JSON.stringify({ query: DASHBOARD, variables: { userId } }),
          };
        },
      },
    ],
  };
}

/** A throwaway redis-server, or `undefined` when it is not installed (the Redis row is then left out). */
async function startRedis(): Promise<{ url: string; stop(): void } | undefined> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = new Promise<undefined>((resolve) => server.once('error', () => resolve(undefined)));
  const started = (async () => {
    await waitForPort(port);
    await sleep(100);
    return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill('SIGKILL') };
  })();
  return Promise.race([started, failed]);
}

/** The report's section: one table per store, and the memory bound. */
export function cacheReport(results: readonly CacheResult[], median: (values: number[]) => number): string[] {
  const first = results[0]!;
  const pick = (index: number, f: (row: CacheRow) => number) => median(results.map((result) => f(result.rows[index]!)));
  const lines = [
    `| cache | req/s | p50 / p99 (ms) | CPU per request (ms) | upstream calls per request | peak RSS (MB) |`,
    '|---|---|---|---|---|---|',
    ...first.rows.map(
      (row, index) =>
        `| ${row.name} | ${pick(index, (r) => r.load.rps).toFixed(0)} | ${pick(index, (r) => r.load.p50)} / ${pick(index, (r) => r.load.p99)} | ${pick(index, (r) => r.cpuPerRequestMs).toFixed(3)} | ${pick(index, (r) => r.callsPerRequest).toFixed(2)} | ${pick(index, (r) => r.peakRssMb).toFixed(0)} |`,
    ),
    '',
  ];
  const baseline = median(results.map((result) => result.bound.baselineMb));
  const memory = median(results.map((result) => result.bound.memoryMb));
  const held = median(results.map((result) => result.bound.heldMb));
  const limit = baseline + BOUND_BYTES / 2 ** 20;
  lines.push(
    `Memory store bound, ${BOUND_SECONDS} s of new credentials on every request and private rows fresh for 10 minutes (each row new and kept, so the store fills and evicts): its rows took ${held.toFixed(1)} MiB at the end (at most a fifth of CACHE_MAX_BYTES=${BOUND_BYTES / 2 ** 20} MiB); peak RSS ${memory.toFixed(0)} MB vs ${baseline.toFixed(0)} MB with the cache off: ${memory <= limit ? 'within' : 'NOT within'} the bound + baseline (${limit.toFixed(0)} MB).`,
  );
  if (!first.redis) lines.push('No redis-server on this machine: the Redis row is left out.');
  const errors = results.reduce((sum, result) => sum + result.rows.reduce((s, row) => s + row.load.errors, 0), 0);
  lines.push(`Errors and non-2xx answers during the cache runs: ${errors}.`);
  return lines;
}
