import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig, withUpstreamUrls } from '../src/config.js';
import { loadTracing } from '../src/observability/index.js';
import { createGateway } from '../src/server.js';

/**
 * The gateway under soak, in its own process so its memory is its own. Upstream
 * URLs come from the environment as in production; every second it reports
 * RSS, heap, open sockets and event-loop delay as one JSON line on stdout.
 */
const config = withUpstreamUrls(loadConfig(process.env), {});
const tracing = await loadTracing(config);
const gateway = createGateway(config, tracing ? { tracing } : {});
const server = http.createServer(gateway.handler);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
setInterval(() => {
  const memory = process.memoryUsage();
  const sockets = process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
  process.stdout.write(
    `${JSON.stringify({ rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20, sockets, loopDelayP99Ms: delay.percentile(99) / 1e6 })}\n`,
  );
  delay.reset();
}, 1000).unref();
