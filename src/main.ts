import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, servicesWithoutUrl, withUpstreamUrls, type Config } from './config.js';
import { startDemoUpstreams } from './demo/server.js';
import { createLogger } from './logger.js';
import { createGateway } from './server.js';

/** Process entry: load config, start demo upstreams where no URL is set, serve, shut down cleanly. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);

  const demoServices = servicesWithoutUrl(config);
  const demo = demoServices.length > 0 ? await startDemoUpstreams({ services: demoServices, knobs: config.demo.knobs }) : undefined;
  if (demo) logger.info({ services: demoServices }, 'serving these services from the built-in demo upstreams');

  const gateway = createGateway(withUpstreamUrls(config, demo?.urls ?? {}), { logger });
  const server = http.createServer(gateway.yoga);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, `gateway listening on http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      gateway.close();
      void (demo?.close() ?? Promise.resolve()).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

await main();
