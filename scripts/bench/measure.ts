import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import autocannon from 'autocannon';

/** What the bench scripts share: ports, child messages, a process's CPU and peak RSS from /proc, autocannon runs. */

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function message<T>(child: ChildProcess, send?: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (value) => resolve(value as T));
    if (send) child.send(send);
  });
}

/** CPU ms used so far by a process (user + system), from /proc. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
}

export function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

export async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

export async function drive(options: autocannon.Options, connections: number): Promise<Load> {
  const result = await autocannon({ ...options, connections: options.connections ?? connections });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** One of the demo's 300 users, at random: in-flight sharing between requests then rarely applies, as with real traffic. */
export function randomUser(): string {
  return String(1 + Math.floor(Math.random() * 300));
}
