import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/**
 * A real redis-server (Debian's package) for one test file, on a free
 * loopback port, keeping nothing on disk. It can be killed and started again
 * on the same port, as an operator's restart would.
 */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, for CACHE_STORE. */
  readonly url: string;
  /** A client of the test's own, to look at and tamper with what the gateway stored. */
  readonly client: Redis;
  /** SIGKILL by default: no goodbye to connected clients, as in a crash. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let server = await launch(port);
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {});
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client,
    kill: (signal = 'SIGKILL') => stop(server, signal),
    async restart() {
      await stop(server, 'SIGKILL');
      server = await launch(port);
    },
    async close() {
      client.disconnect();
      await stop(server, 'SIGKILL');
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  for (let tries = 0; tries < 100; tries++) {
    if (child.exitCode !== null) break;
    if (await answersPing(port)) return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}:\n${output.join('')}`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port that was free a moment ago (another test could take it in between; redis-server then fails loudly). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
