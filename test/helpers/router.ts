import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real federation router: Hive Gateway's own CLI, from the test-only folder
 * test/router (its own lockfile: its dependencies would change the versions
 * the gateway itself resolves; `npm test` installs it first), serving a
 * supergraph file on loopback, as a child process that a test always kills.
 */
const routerFolder = fileURLToPath(new URL('../router/', import.meta.url));
const CLI = join(routerFolder, 'node_modules/@graphql-hive/gateway/dist/bin.js');
const CONFIG = join(routerFolder, 'gateway.config.ts');

export interface Router {
  /** The router's GraphQL endpoint. */
  readonly url: string;
  /** Everything the router printed, for a failing test's message. */
  readonly output: string[];
  close(): Promise<void>;
}

export async function startRouter(supergraphSdl: string, startTimeoutMs = 60_000): Promise<Router> {
  const folder = mkdtempSync(join(tmpdir(), 'router-'));
  const supergraph = join(folder, 'supergraph.graphql');
  writeFileSync(supergraph, supergraphSdl);
  // The CLI logs the port it was given, not the one port 0 got: so a free port, picked just before.
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'supergraph', supergraph, '--host', '127.0.0.1', '--port', String(port), '--config-path', CONFIG], {
    cwd: folder,
    // Nothing of the test's environment: the CLI reads PORT, HOST, FORK, HIVE_* and APOLLO_* from it.
    env: { PATH: process.env['PATH'] ?? '', HOME: folder, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(folder, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(origin, exited, startTimeoutMs);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}; router output:\n${output.join('')}`);
  }
  return { url: `${origin}/graphql`, output, close };
}

/** Ready: the supergraph is loaded and every subgraph it names can be planned against. */
async function waitUntilReady(origin: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const status = await fetch(`${origin}/readiness`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(gone ? 'the router exited before it was ready' : `the router was not ready within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
