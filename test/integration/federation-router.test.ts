import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_OUTAGE } from '../../src/demo/data.js';
import { SUBGRAPH_PATH } from '../../src/endpoints.js';
import { postIncremental } from '../helpers/incremental.js';
import { captureLogs, type CapturedLogs } from '../helpers/logs.js';
import { demoDataWithProducts, GATEWAY_SUBGRAPH, startSupergraph, type Supergraph } from '../helpers/supergraph.js';

/**
 * This gateway as one subgraph of a supergraph, behind a real router (Hive
 * Gateway's CLI, a child process) with a second subgraph (offers) written
 * with Apollo's subgraph library. Everything on loopback.
 */
describe('behind a federation router (Hive Gateway)', () => {
  const data = demoDataWithProducts(60);
  let supergraph: Supergraph;
  let logs: CapturedLogs;
  let logsBefore = 0;

  beforeAll(async () => {
    logs = captureLogs('info');
    supergraph = await startSupergraph({ demo: { data }, logger: logs.logger });
  }, 120_000);
  afterAll(() => supergraph?.close());
  beforeEach(() => {
    supergraph.gateway.demo.resetStats();
    logsBefore = logs.raw.length;
  });

  /** The router's requests to /subgraph since the test began, from the gateway's own request log. */
  const subgraphRequests = () =>
    logs.raw
      .slice(logsBefore)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => String(line['msg']).startsWith('graphql request') && line['path'] === SUBGRAPH_PATH);

  it('answers one query with fields of both subgraphs', async () => {
    const { status, body } = await supergraph.query('{ product(id: "p3") { name price stock { available } offers { seller price } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const product = data.productById.get('p3')!;
    expect(body.data.product).toEqual({
      name: product.name,
      price: product.price,
      stock: { available: data.stockByProductId.get('p3')!.available },
      offers: [
        { seller: 'Acme', price: 10 },
        { seller: 'Globex', price: 11 },
      ],
    });
  });

  it("resolves the offers subgraph's 50 product references with one _entities request and one products batch", async () => {
    const { body } = await supergraph.query('{ deals(count: 50) { id product { id name price } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.deals).toHaveLength(50);
    body.data.deals.forEach((deal: { product: unknown }, index: number) => {
      const row = data.productById.get(`p${index + 1}`)!;
      expect(deal.product).toEqual({ id: row.id, name: row.name, price: row.price });
    });
    expect(subgraphRequests()).toHaveLength(1);
    const calls = supergraph.gateway.demo.stats.products.calls.map((call) => new URL(call.path, 'http://demo'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.searchParams.get('ids')!.split(',')).toHaveLength(50);
  });

  it('serves @defer: the router fetches the deferred fields with a later _entities request', async () => {
    const { parts } = await postIncremental(supergraph.router.url, 'multipart', {
      query: '{ product(id: "p1") { name ... @defer { stock { available } offers { seller } } } }',
    });
    expect(parts.map((part) => part.body)).toEqual([
      { data: { product: { name: data.productById.get('p1')!.name } }, hasNext: true },
      {
        incremental: [
          {
            data: { stock: { available: data.stockByProductId.get('p1')!.available }, offers: [{ seller: 'Acme' }, { seller: 'Globex' }] },
            path: ['product'],
          },
        ],
        hasNext: false,
      },
    ]);
    expect(subgraphRequests()).toHaveLength(2);
  });

  it('passes a failure under an entity on to its client: a null, and an error with our code and service', async () => {
    supergraph.gateway.demo.knobs.inventory.failStatus = 503;
    try {
      const { body } = await supergraph.query('{ deals(count: 3) { id product { name stock { available } } } }');
      expect(body.data.deals.map((deal: { product: { stock: unknown } }) => deal.product.stock)).toEqual([null, null, null]);
      expect(body.errors).toHaveLength(3);
      for (const error of body.errors) {
        expect(error).toMatchObject({
          message: 'inventory answered HTTP 503',
          extensions: { code: 'HTTP_ERROR', service: 'inventory', httpStatus: 503, serviceName: GATEWAY_SUBGRAPH },
        });
        // Hive Gateway 2.15 puts every such error at the first entity's index (graphql-hive/gateway#1556);
        // /subgraph itself answers each with its own (subgraph.test.ts).
        expect(error.path).toEqual(['deals', expect.any(Number), 'product', 'stock']);
      }
    } finally {
      supergraph.gateway.demo.knobs.inventory.failStatus = null;
    }
  });

  // Last: the failed calls open the products breaker.
  it('passes a products outage on: each product null, with our code and service at its path', async () => {
    supergraph.gateway.demo.knobs.products.failStatus = 503;
    try {
      const { body } = await supergraph.query('{ deals(count: 3) { id price product { name price } } }');
      expect(body.data.deals).toEqual([1, 2, 3].map((n) => ({ id: `p${n}-o0`, price: 10, product: null })));
      expect(body.errors).toHaveLength(3);
      body.errors.forEach((error: { path: unknown[] }, index: number) => {
        expect(error).toMatchObject({
          message: 'products answered HTTP 503',
          extensions: { code: 'HTTP_ERROR', service: 'products', httpStatus: 503, serviceName: GATEWAY_SUBGRAPH },
        });
        // The router names the first field it asked for under the nulled entity.
        expect(error.path.slice(0, 3)).toEqual(['deals', index, 'product']);
      });
      expect(supergraph.gateway.demo.stats.products.calls).toHaveLength(3); // one batch call, retried twice
    } finally {
      supergraph.gateway.demo.knobs.products.failStatus = null;
    }
  });
});

describe('behind a federation router, with the entity cache on', () => {
  let now = Date.now();
  let supergraph: Supergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph({ cacheHeaders: true, cacheClock: () => now });
  }, 120_000);
  afterAll(() => supergraph?.close());

  it('passes a stale serve on: the old data, and the x-gateway-stale header that names the failed service and the age', async () => {
    const query = `{ product(id: "${DEMO_OUTAGE.key}") { name price offers { seller } } }`;
    const first = await supergraph.query(query);
    expect(first.body.errors).toBeUndefined();
    now += 1500; // past max-age=1: the demo's products service now fails for this key
    const { body, headers } = await supergraph.query(query);
    expect(body.data).toEqual(first.body.data);
    expect(supergraph.gateway.demo.stats.products.calls).toHaveLength(4); // the first answer, then a failed call and two retries
    // Hive Gateway drops subgraph errors on fields that hold data (the STALE error /subgraph sends: subgraph.test.ts) ...
    expect(body.errors).toBeUndefined();
    // ... and copies the header, as its config (test/router/gateway.config.ts) tells it.
    expect(headers.get('x-gateway-stale')).toBe('products;code=HTTP_ERROR;age=1');
  });
});
