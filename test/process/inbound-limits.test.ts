import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';

/**
 * The real process's inbound limits. Node enforces headersTimeout only when it
 * checks its connections (every 30 s by default), so without a shorter check
 * interval a client dribbling headers kept its socket for up to 40 s. Without
 * a cap on connections, 20,000 idle sockets took every file descriptor the
 * process had (the limit here), and new connections were reset.
 */
let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

it('a client dribbling its headers is cut off soon after the 5 s header limit', { timeout: 40_000 }, async () => {
  gateway = spawnGateway({ PORT: '0' });
  const port = (await gateway.waitForLog(isListening))['port'] as number;

  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = Date.now();
  socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
  let line = 0;
  const dribble = setInterval(() => socket.writable && socket.write(`x-slow-${line++}: 1\r\n`), 1_000);
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(dribble);

  const heldMs = Date.now() - started;
  expect(heldMs).toBeGreaterThanOrEqual(4_500);
  expect(heldMs).toBeLessThan(11_000);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
});

/** Idle sockets at the gateway's port, each noting when the gateway closed it (after answering, or at once). */
async function idleSockets(port: number, count: number) {
  const opened = Date.now();
  const closedAfterMs: number[] = [];
  const sockets = await Promise.all(
    Array.from({ length: count }, () => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.on('error', () => {});
      socket.resume(); // a socket that is not read never learns that the other side closed it
      socket.on('close', () => closedAfterMs.push(Date.now() - opened));
      return new Promise<net.Socket>((resolve) => socket.once('connect', () => resolve(socket)));
    }),
  );
  return { closedAfterMs, destroy: () => sockets.forEach((socket) => socket.destroy()) };
}

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
/** A process's own CPU time (user + system) in ms. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (CLK_TCK = 100 on Linux)
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('connections beyond MAX_CONNECTIONS are closed on arrival; those that send nothing go after HEADERS_TIMEOUT_MS', { timeout: 40_000 }, async () => {
  gateway = spawnGateway({ PORT: '0', MAX_CONNECTIONS: '20', HEADERS_TIMEOUT_MS: '2000' });
  const port = (await gateway.waitForLog(isListening))['port'] as number;
  const pid = gateway.child.pid!;
  const baseline = fdCount(pid);

  const idle = await idleSockets(port, 30);
  await sleep(700);
  expect(idle.closedAfterMs).toHaveLength(10); // the ten over the cap, at once
  expect(fdCount(pid)).toBeLessThanOrEqual(baseline + 20 + 2);

  // The twenty it holds sent nothing: each gets a 408 and is closed once its 2 s are up (checked every second).
  for (let waited = 0; waited < 8000 && idle.closedAfterMs.length < 30; waited += 100) await sleep(100);
  const held = idle.closedAfterMs.slice(10);
  expect(held).toHaveLength(20);
  expect(Math.min(...held)).toBeGreaterThanOrEqual(1500);
  expect(Math.max(...held)).toBeLessThan(5000);
  idle.destroy();

  const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ user(id: "1") { name } }' }),
  });
  expect(answer.status).toBe(200);
});

it('with workers, each holds at most MAX_CONNECTIONS, and the excess costs the primary nothing to speak of', { timeout: 90_000 }, async () => {
  gateway = spawnGateway({ PORT: '0', WORKERS: '2', MAX_CONNECTIONS: '10' });
  const port = (await gateway.waitForLog(isListening, 60_000, 2))['port'] as number;
  const primary = gateway.child.pid!;
  const cpuBefore = cpuMs(primary);

  const idle = await idleSockets(port, 30); // handed out in turn: 15 to each worker
  await sleep(3000);
  expect(idle.closedAfterMs).toHaveLength(10);
  // Node 20's primary hands a connection that a worker refuses for its maxConnections to the other worker, and back,
  // for as long as it stays open: about a second of CPU in these three seconds.
  expect(cpuMs(primary) - cpuBefore).toBeLessThan(300);
  idle.destroy();
});
