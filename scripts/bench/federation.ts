import { parseArgs } from 'node:util';
import { captureLogs } from '../../test/helpers/logs.js';
import { demoDataWithProducts, startSupergraph } from '../../test/helpers/supergraph.js';

/**
 * `npm run bench:federation [-- --runs 200]`
 *
 * The 50-product entity fan-out through a real router: a client asks Hive
 * Gateway for 50 offers of the offers subgraph with their products, which the
 * router resolves with `_entities` on this gateway's /subgraph. Sequential
 * queries on loopback (demo upstreams answer at once), after a warm-up; prints
 * per query the router's requests to /subgraph, the products calls upstream,
 * and the client's p50/p90/p99, beside the same 50 products asked of /graphql
 * directly (`products(ids)`).
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const RUNS = Number(values.runs);
const FAN_OUT = '{ deals(count: 50) { id product { id name price } } }';
const DIRECT = `{ products(ids: ${JSON.stringify(Array.from({ length: 50 }, (_, i) => `p${i + 1}`))}) { id name price } }`;

const logs = captureLogs('info');
const supergraph = await startSupergraph({ demo: { data: demoDataWithProducts(60) }, logger: logs.logger });
try {
  const viaRouter = await measure(() => supergraph.query(FAN_OUT));
  const direct = await measure(() => supergraph.gateway.query(DIRECT));
  process.stdout.write(`${JSON.stringify({ runs: RUNS, viaRouter, direct }, null, 2)}\n`);
} finally {
  await supergraph.close();
}

async function measure(ask: () => Promise<{ body: { errors?: unknown } }>) {
  for (let i = 0; i < 20; i++) await ask(); // warm sockets and JIT
  supergraph.gateway.demo.resetStats();
  const logsBefore = logs.raw.length;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const { body } = await ask();
    times.push(performance.now() - started);
    if (body.errors) throw new Error(`errors in the answer: ${JSON.stringify(body.errors)}`);
  }
  const subgraphRequests = logs.raw
    .slice(logsBefore)
    .map((line) => JSON.parse(line) as { msg?: string; path?: string })
    .filter((line) => line.msg?.startsWith('graphql request') && line.path === '/subgraph').length;
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.floor(q * (times.length - 1))]! * 100) / 100;
  return {
    subgraphRequestsPerQuery: subgraphRequests / RUNS,
    productsCallsPerQuery: supergraph.gateway.demo.stats.products.calls.length / RUNS,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
  };
}
