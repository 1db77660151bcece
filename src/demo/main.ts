import { ConfigError, loadConfig } from '../config.js';
import { SERVICE_NAMES } from '../services/index.js';
import { startDemoUpstreams } from './server.js';

/**
 * `npm run upstreams`: the demo services on fixed ports, with the knobs of
 * DEMO_<SERVICE>_LATENCY_MS / _FAIL_STATUS / _HANG (and _WRITE_FAIL_STATUS /
 * _WRITE_HANG for services with writes), for pointing a gateway (or curl) at
 * them.
 */
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`configuration error: ${error.message}\n`);
  process.exit(1);
}
const ports = Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, config.demo.basePort + index]));
const demo = await startDemoUpstreams({ ports, knobs: config.demo.knobs });
process.stdout.write('Demo upstreams are up. Point a gateway at them with:\n');
for (const name of SERVICE_NAMES) {
  process.stdout.write(`  ${name.toUpperCase()}_SERVICE_URL=${demo.urls[name].href}\n`);
}
const stop = () => void demo.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
