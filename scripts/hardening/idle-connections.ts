import { fork, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

/**
 * `node --import tsx scripts/hardening/idle-connections.ts [--connections 24000 --seconds 40] [-- KEY=VALUE ...]`
 *
 * Holds `--connections` TCP connections open at a gateway (its own process,
 * started with the KEY=VALUE settings given) without sending a byte, opening
 * a new one whenever the gateway closes one, from as many client processes
 * as the file-descriptor limit needs. Every 5 s it prints the gateway's open
 * file descriptors and whether a query on a fresh connection is answered; at
 * the end, how long the gateway let idle connections live. Not part of
 * `npm test` (test/process/inbound-limits.test.ts is the small version).
 */
const PER_CLIENT = 12_000;

if (process.argv[2] === '--client') await holdConnections(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { connections: { type: 'string', default: '24000' }, seconds: { type: 'string', default: '40' } },
    allowPositionals: true,
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'warn' };
  for (const setting of positionals) env[setting.split('=')[0]!] = setting.slice(setting.indexOf('=') + 1);
  const gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: gateway.stdout! }).on('line', (line) => {
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port) resolve(Number(port));
    });
  });

  const clients = Array.from({ length: Math.ceil(connections / PER_CLIENT) }, (_, index) =>
    fork(new URL(import.meta.url).pathname, ['--client', String(port), String(Math.min(PER_CLIENT, connections - index * PER_CLIENT)), String(seconds)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    }),
  );
  const reports = clients.map(
    (client) => new Promise<Record<string, number>>((resolve) => client.once('message', (message) => resolve(message as Record<string, number>))),
  );
  const started = Date.now();
  const timer = setInterval(async () => {
    const fds = readdirSync(`/proc/${gateway.pid}/fd`).length;
    console.log(`${String(Math.round((Date.now() - started) / 1000)).padStart(3)} s: gateway fds ${fds}, query on a new connection: ${await probe(port)}`);
  }, 5000);
  const totals = await Promise.all(reports);
  clearInterval(timer);
  const worst = Math.max(...totals.map((report) => report['maxLifetimeMs']!));
  const median = Math.max(...totals.map((report) => report['medianLifetimeMs']!));
  const closed = totals.reduce((sum, report) => sum + report['closedByGateway']!, 0);
  console.log(JSON.stringify({ connections, seconds, settings: positionals, closedByGateway: closed, medianIdleLifetimeMs: median, maxIdleLifetimeMs: worst }));
  gateway.kill('SIGTERM');
}

/** A query on a fresh connection: answered, refused, or timed out. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const started = Date.now();
    const path = `/graphql?query=${encodeURIComponent('{ user(id: "1") { name } }')}`;
    const request = http.get({ port, host: '127.0.0.1', path, agent: false, timeout: 3000, headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(`${response.statusCode} ${body.includes('"name"') ? 'answered' : 'no data'} in ${Date.now() - started} ms`));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** In a client process: keeps `count` idle connections open for `seconds`, reopening each one the gateway closes. */
async function holdConnections(port: number, count: number, seconds: number): Promise<void> {
  const lifetimes: number[] = [];
  const endAt = Date.now() + seconds * 1000;
  const open = () => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const opened = Date.now();
    socket.on('error', () => {});
    socket.resume(); // a socket that is never read never learns that the gateway closed it
    socket.on('close', () => {
      if (Date.now() < endAt) {
        lifetimes.push(Date.now() - opened);
        setTimeout(open, 50);
      }
    });
    setTimeout(() => socket.destroy(), endAt - Date.now());
  };
  for (let opened = 0; opened < count; opened += 500) {
    for (let index = opened; index < Math.min(count, opened + 500); index++) open();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, endAt - Date.now() + 100));
  lifetimes.sort((a, b) => a - b);
  process.send!({ closedByGateway: lifetimes.length, medianLifetimeMs: lifetimes[lifetimes.length >> 1] ?? 0, maxLifetimeMs: lifetimes.at(-1) ?? 0 });
  process.exit(0);
}
