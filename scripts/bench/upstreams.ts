import { startDemoUpstreams } from '../../src/demo/server.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

/**
 * Bench child: the demo upstreams with a fixed latency, in their own
 * process. Tells the parent its URLs; answers `stats` with calls per service.
 */
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const demo = await startDemoUpstreams({
  knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs }])),
});
process.send!({ urls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, demo.urls[name].href])) });
process.on('message', (message: string) => {
  if (message === 'reset') demo.resetStats();
  // The cache bench's bound: private rows that stay fresh for the whole run, so that they pile up in the store.
  if (message === 'long-lived private rows') for (const name of ['orders', 'notifications'] as const) demo.knobs[name].cacheControl = 'private, max-age=600';
  if (message === 'demo headers') for (const name of SERVICE_NAMES) demo.knobs[name].cacheControl = undefined;
  if (message === 'stats') {
    process.send!({ calls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, demo.stats[name].calls.length])) });
  }
});
process.on('disconnect', () => void demo.close().then(() => process.exit(0)));
