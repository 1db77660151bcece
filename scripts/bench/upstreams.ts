import { startDemoUpstreams } from '../../src/demo/server.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

/**
 * Bench child: the five demo upstreams with a fixed latency, in their own
 * process. Tells the parent its URLs; answers `stats` with calls per service.
 */
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const demo = await startDemoUpstreams({
  knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs }])),
});
process.send!({ urls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, demo.urls[name].href])) });
process.on('message', (message: string) => {
  if (message === 'reset') demo.resetStats();
  if (message === 'stats') {
    process.send!({ calls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, demo.stats[name].calls.length])) });
  }
});
process.on('disconnect', () => void demo.close().then(() => process.exit(0)));
