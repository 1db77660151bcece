import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The real gateway process (`node --import tsx src/main.ts`), its JSON log lines collected as they come. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Every line of stdout and stderr, raw. */
  readonly output: string[];
  /** stdout lines that parsed as JSON. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the first (n-th) log line that satisfies `match`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number, count?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (test clean-up). */
  kill(): void;
}

/**
 * `ownGroup`: the process leads its own process group, so a test can signal the group as a terminal's Ctrl-C does.
 * `nodeArgs`: Node's own flags, e.g. `--max-old-space-size=400` for the heap a container would allow.
 */
export function spawnGateway(
  env: Record<string, string>,
  { ownGroup = false, nodeArgs = [] }: { ownGroup?: boolean; nodeArgs?: readonly string[] } = {},
): GatewayProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  const output: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream, json: boolean) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (!json) continue;
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
      waiters.forEach((check) => check());
    });
  };
  collect(child.stdout!, true);
  collect(child.stderr!, false);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output,
    logs,
    exited,
    waitForLog(match, timeoutMs = 30_000, count = 1) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.filter(match);
          if (found.length >= count) {
            done();
            resolve(found[count - 1]!);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such log line within ${timeoutMs} ms; output:\n${output.join('\n')}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => check());
        check();
      });
    },
    kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (ownGroup) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    },
  };
}

export function isListening(line: Record<string, unknown>): boolean {
  return typeof line['port'] === 'number' && String(line['msg']).startsWith('gateway listening');
}

/** A process's own measures from /proc (Linux): CPU time so far, resident memory now and at its peak. */
export interface ProcessStats {
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
}

export function processStats(pid: number): ProcessStats {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100/s).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)![1]);
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}
