import fc from 'fast-check';
import { startGateway } from '../test/helpers/gateway.js';
import { describeFailure, fuzzRequest, runFuzz } from '../test/fuzz/fuzz.js';

/**
 * `npm run fuzz`: the long fuzz run. FUZZ_CASES (default 20000) requests
 * against a gateway on loopback in front of the demo upstreams; FUZZ_SEED
 * replays a run. Exits 1 if any request got no answer, hung or got a 5xx.
 */
const cases = Number(process.env['FUZZ_CASES'] ?? 20_000);
const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const CHUNK = 1000;

const gateway = await startGateway({ env: { LOG_LEVEL: 'silent' } });
process.stdout.write(`fuzzing ${gateway.url} with ${cases} requests, FUZZ_SEED=${seed}\n`);
const requests = fc.sample(fuzzRequest, { seed, numRuns: cases });
const byStatus: Record<number, number> = {};
const failures: string[] = [];
let slowestMs = 0;
const started = performance.now();
for (let offset = 0; offset < requests.length; offset += CHUNK) {
  const report = await runFuzz(gateway.url, requests.slice(offset, offset + CHUNK), { concurrency: 8, deadlineMs: 10_000 });
  for (const [status, count] of Object.entries(report.byStatus)) byStatus[Number(status)] = (byStatus[Number(status)] ?? 0) + count;
  failures.push(...report.failures.map(describeFailure));
  slowestMs = Math.max(slowestMs, report.slowestMs);
  process.stdout.write(`  ${Math.min(offset + CHUNK, requests.length)}/${requests.length} sent, ${failures.length} failures\n`);
}
await gateway.close();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(`done in ${seconds} s; answers by status ${JSON.stringify(byStatus)}; slowest ${slowestMs.toFixed(0)} ms\n`);
for (const failure of failures.slice(0, 20)) process.stdout.write(`FAIL ${failure}\n`);
process.exit(failures.length === 0 ? 0 : 1);
