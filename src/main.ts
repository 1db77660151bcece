import { ConfigError, loadConfig, servicesWithoutUrl, withUpstreamUrls, type Config } from './config.js';
import { startDemoUpstreams, type DemoUpstreams } from './demo/server.js';
import { createLogger, type Logger } from './logger.js';
import { workerForgetBus } from './process/cache-bus.js';
import { isWorker, runPrimary, workerMetrics } from './process/cluster.js';
import { onStopSignals, serveGateway, workerStopSignals } from './process/serve.js';

/**
 * Process entry: load config, start demo upstreams where no URL is set (once,
 * in the primary when there are workers), serve, shut down cleanly.
 *   WORKERS=1 (default): this process serves.
 *   WORKERS=n: this process is the cluster primary; n workers serve.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);

  if (isWorker()) {
    // The primary passed every URL (its demo upstreams included) in the environment.
    const serving = await serveGateway(withUpstreamUrls(config, {}), logger, { metricsSource: workerMetrics, forgetBus: workerForgetBus() });
    workerStopSignals(serving.stop, () => exitAfterLogs(logger, 0));
    return;
  }

  const demo = await startDemo(config, logger);
  if (config.operations.workers > 1) {
    await runPrimary({ config, logger, demo });
    return;
  }
  const serving = await serveGateway(withUpstreamUrls(config, demo?.urls ?? {}), logger);
  onStopSignals(
    serving.stop,
    async () => {
      await demo?.close();
      exitAfterLogs(logger, 0);
    },
    (signal) => exitAtOnce(logger, signal),
  );
}

function exitAtOnce(logger: Logger, signal: string): void {
  logger.warn({ signal }, 'second signal: exiting now, without waiting for the drain');
  exitAfterLogs(logger, 1);
}

/** pino writes asynchronously: flush before exiting so the last lines (drain outcome) are not lost. */
function exitAfterLogs(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
}

async function startDemo(config: Config, logger: Logger): Promise<DemoUpstreams | undefined> {
  const services = servicesWithoutUrl(config);
  if (services.length === 0) return undefined;
  const demo = await startDemoUpstreams({ services, knobs: config.demo.knobs });
  logger.info({ services }, 'serving these services from the built-in demo upstreams');
  return demo;
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    exitOnConfigError(error);
  }
}

/** A setting that cannot be used (a bad value, a port already taken) ends the process with one line naming it. */
function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`configuration error: ${error.message}\n`);
  process.exit(1);
}

await main().catch(exitOnConfigError);
