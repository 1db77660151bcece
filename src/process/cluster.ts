import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { type Config } from '../config.js';
import { SERVICE_NAMES } from '../services/index.js';
import type { DemoUpstreams } from '../demo/server.js';
import { relayCacheForgets } from './cache-bus.js';
import type { Logger } from '../logger.js';
import { closeScrapers, listenForScrapers } from './metrics-listener.js';
import type { MetricsSource } from '../observability/index.js';
import type { Registry } from 'prom-client';

/**
 * WORKERS > 1: one primary process that serves nothing itself, and N workers
 * sharing the port (node:cluster hands connections round-robin). Workers share
 * nothing per request: each has its own gateway, loaders and socket pools.
 * The primary owns what must exist once: the demo upstreams (their URLs go
 * to workers as *_SERVICE_URL), the sum of every worker's metrics (served
 * on METRICS_PORT by the primary itself when that is set), and the relay of
 * cache invalidations between workers (cache-bus.ts).
 */
const METRICS_REQUEST = 'gateway:metrics-request';
const METRICS_RESPONSE = 'gateway:metrics-response';

interface MetricsRequest { readonly type: typeof METRICS_REQUEST; readonly id: number }
interface MetricsResponse { readonly type: typeof METRICS_RESPONSE; readonly id: number; readonly text?: string; readonly contentType?: string; readonly error?: string }

export interface PrimaryOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly demo: DemoUpstreams | undefined;
}

export async function runPrimary({ config, logger, demo }: PrimaryOptions): Promise<void> {
  const { workers: count, shutdownDelayMs, shutdownDrainMs, metricsPort } = config.operations;
  const env = Object.fromEntries(
    SERVICE_NAMES.filter((name) => demo?.urls[name] && !config.services[name].baseUrl).map((name) => [
      `${name.toUpperCase()}_SERVICE_URL`,
      demo!.urls[name].href,
    ]),
  );
  const aggregator = new AggregatorRegistry();
  // Before any worker starts: a METRICS_PORT that cannot be had stops start-up with one line, as PORT does.
  const scrapers =
    metricsPort === undefined
      ? undefined
      : await listenForScrapers(metricsPort, async () => ({ text: await aggregator.clusterMetrics(), contentType: aggregator.contentType }), config.operations, logger);
  const listening = new WeakSet<Worker>();
  let stopping = false;

  const fork = () => {
    // With every URL set, a worker could not tell the demo's services from real ones (GraphiQL's demo tabs).
    const worker = cluster.fork({ ...env, DEMO_SERVICES: config.demoServices.join(',') });
    worker.on('listening', () => listening.add(worker));
    relayCacheForgets(worker);
    worker.on('message', (message: MetricsRequest) => {
      if (message?.type !== METRICS_REQUEST) return;
      const reply = (answer: Omit<MetricsResponse, 'type' | 'id'>) => worker.send({ type: METRICS_RESPONSE, id: message.id, ...answer });
      aggregator.clusterMetrics().then(
        (text) => reply({ text, contentType: aggregator.contentType }),
        (error: Error) => reply({ error: error.message }),
      );
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!listening.has(worker)) {
        // It died before serving (bad port, crash on start): forking again would only loop.
        // `workerPid`: the logger's base fields already carry this process's own `pid`.
        logger.fatal({ workerPid: worker.process.pid, code, signal }, 'worker failed to start; stopping');
        void stop('worker-start-failure', 1);
        return;
      }
      logger.error({ workerPid: worker.process.pid, code, signal }, 'worker died; starting a replacement');
      fork();
    });
  };

  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'primary: stopping workers');
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    const exited = Promise.all(workers.map((worker) => (worker.isDead() ? undefined : new Promise((resolve) => worker.once('exit', resolve)))));
    for (const worker of workers) worker.process.kill('SIGTERM');
    // Workers drain on their own clock; this only guards against one that hangs.
    const guard = setTimeout(() => workers.forEach((worker) => worker.process.kill('SIGKILL')), shutdownDelayMs + shutdownDrainMs + 5000);
    await exited;
    clearTimeout(guard);
    if (scrapers) await closeScrapers(scrapers);
    await demo?.close();
    logger.flush(() => process.exit(exitCode));
  };

  // The primary decides for the whole group: a worker also gets a Ctrl-C or a group-wide SIGTERM itself, and the
  // primary's own SIGTERM to it must not count as a second signal there (see workerStopSignals).
  const force = (signal: string) => {
    logger.warn({ signal }, 'second signal: stopping the workers now, without waiting for the drain');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    logger.flush(() => process.exit(1));
  };
  logger.info({ workers: count }, 'primary: starting workers');
  for (let index = 0; index < count; index++) fork();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => (stopping ? force(signal) : void stop(signal)));
  }
}

/** In a worker: answer the primary's aggregation requests with this registry, and ask it for the sum. */
export function workerMetrics(registry: Registry): MetricsSource {
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, (answer: MetricsResponse) => void>();
  let nextId = 0;
  process.on('message', (message: MetricsResponse) => {
    if (message?.type === METRICS_RESPONSE) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => settle({ type: METRICS_RESPONSE, id, error: 'no answer from the primary' }), 6000);
      const settle = (answer: MetricsResponse) => {
        clearTimeout(timer);
        pending.delete(id);
        if (answer.text !== undefined) resolve({ text: answer.text, contentType: answer.contentType ?? 'text/plain' });
        else reject(new Error(answer.error ?? 'metrics unavailable'));
      };
      pending.set(id, settle);
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}

export function isWorker(): boolean {
  return cluster.isWorker;
}
