import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamCallTrace } from '../../src/errors/contract.js';
import { SUBGRAPH_PATH } from '../../src/endpoints.js';
import { DEMO_OUTAGE } from '../../src/demo/data.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { startGateway, type GraphQLAnswer, type TestGateway } from '../helpers/gateway.js';
import { postIncremental } from '../helpers/incremental.js';
import { captureLogs, type CapturedLogs } from '../helpers/logs.js';
import { scrape, total } from '../helpers/prometheus.js';

/** `/subgraph` (FEDERATION=true) asked directly, as a router asks it. */
const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename SELECTION } }';
const entities = (selection: string) => ENTITIES.replace('SELECTION', selection);
const users = (ids: readonly string[]) => ids.map((id) => ({ __typename: 'User', id }));
const products = (ids: readonly string[]) => ids.map((id) => ({ __typename: 'Product', id }));
const FIFTY = Array.from({ length: 50 }, (_, index) => String(index + 1));

async function post(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, body: await response.json(), ms: performance.now() - started };
}

describe('/subgraph', () => {
  let gw: TestGateway;
  let logs: CapturedLogs;
  let subgraph: string;
  const ask = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => post(subgraph, query, variables, headers);

  beforeAll(async () => {
    logs = captureLogs('info');
    gw = await startGateway({ env: { FEDERATION: 'true', USERS_MAX_BATCH_SIZE: '20', MAX_DEPTH: '5' }, logger: logs.logger });
    subgraph = new URL(SUBGRAPH_PATH, gw.url).href;
  });
  afterEach(() => {
    gw.demo.resetStats();
    for (const name of SERVICE_NAMES) Object.assign(gw.demo.knobs[name], { failStatus: null, latencyMs: 0 });
  });
  afterAll(() => gw.close());

  it('resolves fifty User representations with the users(ids) batches: split by USERS_MAX_BATCH_SIZE', async () => {
    const { body } = await ask(entities('... on User { id name }'), { representations: users(FIFTY) });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((user: { id: string }) => user.id)).toEqual(FIFTY);
    const batches = gw.demo.stats.users.calls.map((call) => new URL(call.path, 'http://demo').searchParams.get('ids')!.split(',').length);
    expect(batches.sort()).toEqual([10, 20, 20]);
  });

  it("starts the selected children with the entity: a user's orders do not wait for the user", async () => {
    gw.demo.knobs.users.latencyMs = 300;
    const { body } = await ask(entities('... on User { name orders { id } }'), { representations: users(['1', '2']) }, { 'x-gateway-trace': '1' });
    expect(body.data._entities.every((user: { orders: unknown[] }) => user.orders.length > 0)).toBe(true);
    const calls = body.extensions.upstreams as UpstreamCallTrace[];
    const usersCall = calls.find((call) => call.service === 'users')!;
    const ordersCall = calls.find((call) => call.service === 'orders')!;
    expect(calls).toHaveLength(2);
    expect(ordersCall.startMs).toBeLessThan(usersCall.startMs + usersCall.durationMs - 150);
  });

  it('answers an unknown id with null, and a representation that breaks the id rules with a client error for that entity only', async () => {
    const representations = [...users(['1', 'no-such-user', 'a/b']), { __typename: 'User' }, ...products(['p1'])];
    const { body } = await ask(entities('... on User { name } ... on Product { name }'), { representations });
    expect(body.data._entities.map((entity: { name?: string } | null) => entity?.name ?? null)).toEqual([
      expect.any(String),
      null,
      null,
      null,
      expect.any(String),
    ]);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 2], extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^Representation of User: the id contains/) }),
      expect.objectContaining({ path: ['_entities', 3], extensions: { code: 'BAD_USER_INPUT' }, message: 'Representation of User: the id is missing or not a string.' }),
    ]);
    expect(body.extensions).toBeUndefined();
    // The bad ids reached no upstream.
    expect(gw.demo.stats.users.calls.map((call) => call.path)).toEqual(['/users?ids=1%2Cno-such-user']);
  });

  it('answers a representation that names no entity type with a client error for that entity only, logging no error', async () => {
    const before = logs.raw.length;
    const representations = [...users(['1']), { __typename: 'Nope', id: '1' }, { id: '1' }, 'x', { __typename: 'Dashboard', id: '1' }, { __typename: '__proto__', id: '1' }, ...products(['p1'])];
    const { body } = await ask(entities('... on User { name } ... on Product { name }'), { representations });
    expect(body.data._entities.map((entity: { name?: string } | null) => entity?.name ?? null)).toEqual([expect.any(String), null, null, null, null, null, expect.any(String)]);
    expect(body.errors).toEqual(
      [1, 2, 3, 4, 5].map((index) =>
        expect.objectContaining({ path: ['_entities', index], extensions: { code: 'BAD_USER_INPUT' }, message: 'Representation: __typename must be one of Product, User.' }),
      ),
    );
    const errorLines = logs.raw.slice(before).map((raw) => JSON.parse(raw)).filter((line) => line.level >= 50);
    expect(errorLines).toEqual([]);
  });

  it('reports each upstream failure twice: in extensions.errors, and in errors at each path it nulled', async () => {
    gw.demo.knobs.inventory.failStatus = 503;
    const { body } = await ask(entities('... on Product { name stock { available } }'), { representations: products(['p1', 'p2']) });
    expect(body.data._entities.map((product: { stock: unknown }) => product.stock)).toEqual([null, null]);
    const failure = { code: 'HTTP_ERROR', service: 'inventory', httpStatus: 503 };
    expect(body.extensions.errors).toEqual([
      expect.objectContaining({ ...failure, paths: [['_entities', 0, 'stock'], ['_entities', 1, 'stock']] }),
    ]);
    expect(body.errors).toEqual(
      [0, 1].map((index) => ({ message: 'inventory answered HTTP 503', path: ['_entities', index, 'stock'], extensions: failure })),
    );
  });

  it('nulls only the entities whose upstream failed, each at its own index', async () => {
    gw.demo.knobs.users.failStatus = 500;
    const { body } = await ask(entities('... on User { name } ... on Product { name }'), { representations: [...users(['1']), ...products(['p1'])] });
    expect(body.data._entities).toEqual([null, { __typename: 'Product', name: expect.any(String) }]);
    expect(body.errors).toEqual([expect.objectContaining({ path: ['_entities', 0], extensions: { code: 'HTTP_ERROR', service: 'users', httpStatus: 500 } })]);
  });

  it('puts a deferred failure in the increment that carries its null', async () => {
    gw.demo.knobs.inventory.failStatus = 503;
    const { parts } = await postIncremental(subgraph, 'multipart', {
      query: entities('... on Product { name ... @defer { stock { available } } }'),
      variables: { representations: products(['p1']) },
    });
    expect(parts).toHaveLength(2);
    expect(parts[0]!.body.errors).toBeUndefined();
    const [increment] = parts[1]!.body.incremental;
    expect(increment).toMatchObject({ path: ['_entities', 0], data: { stock: null } });
    expect(increment.errors).toEqual([
      { message: 'inventory answered HTTP 503', path: ['_entities', 0, 'stock'], extensions: { code: 'HTTP_ERROR', service: 'inventory', httpStatus: 503 } },
    ]);
  });

  it('applies the limits of /graphql, and logs and counts its failures as partial answers, not as errors', async () => {
    const deep = await ask(entities('... on User { orders { product { reviews { author { name } } } } }'), { representations: users(['1']) });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toMatch(/^Depth limit of 5 exceeded/);

    const before = logs.raw.length;
    const results = async () => {
      const metrics = await scrape(gw.url.replace('/graphql', '/'));
      return ['partial', 'error'].map((result) => total(metrics, 'gateway_graphql_responses_total', { result }));
    };
    const [partial, error] = await results();
    gw.demo.knobs.orders.failStatus = 503;
    await ask(entities('... on User { orders { id } }'), { representations: users(['7']) });
    const line = logs.raw.slice(before).map((raw) => JSON.parse(raw)).find((entry) => String(entry.msg).startsWith('graphql request'));
    expect(line).toMatchObject({ path: SUBGRAPH_PATH, msg: 'graphql request (partial)', graphqlErrors: 0, upstreamFailures: { HTTP_ERROR: 1 } });
    expect(await results()).toEqual([partial! + 1, error]);
  });

  it('leaves /graphql as it was: no _entities, no _service', async () => {
    for (const field of ['_entities(representations: []) { __typename }', '_service { sdl }']) {
      const { body } = await gw.query(`{ ${field} }`);
      expect(body.errors[0].message).toMatch(/^Cannot query field "_(entities|service)" on type "Query"/);
    }
  });
});

describe('without FEDERATION', () => {
  it('has no /subgraph', async () => {
    const gw = await startGateway();
    try {
      const response = await fetch(new URL(SUBGRAPH_PATH, gw.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(response.status).toBe(404);
    } finally {
      await gw.close();
    }
  });
});

describe('/subgraph with the entity cache: stale serves a router can see', () => {
  it('a product served stale while its service fails is data, and an error with code STALE at its path', async () => {
    let now = Date.now();
    const gw = await startGateway({ env: { FEDERATION: 'true' }, cacheHeaders: true, cacheClock: () => now });
    try {
      const subgraph = new URL(SUBGRAPH_PATH, gw.url).href;
      const query = entities('... on Product { name price }');
      const variables = { representations: products([DEMO_OUTAGE.key]) };
      const first = await post(subgraph, query, variables);
      expect(first.body.errors).toBeUndefined();
      now += 1500; // past max-age=1: the demo's products service now fails for this key
      const { body, headers } = await post(subgraph, query, variables);
      expect(body.data).toEqual(first.body.data);
      expect(headers.get('x-gateway-stale')).toBe('products;code=HTTP_ERROR;age=1');
      expect(first.headers.get('x-gateway-stale')).toBeNull();
      const served = { service: 'products', code: 'HTTP_ERROR', paths: [['_entities', 0]], ageSeconds: 1 };
      expect(body.extensions).toEqual({ stale: [served] });
      expect(body.errors).toEqual([
        {
          message: "Served from the gateway's cache, 1 s old: the products service failed (HTTP_ERROR).",
          path: ['_entities', 0],
          extensions: { code: 'STALE', service: 'products', failureCode: 'HTTP_ERROR', ageSeconds: 1 },
        },
      ]);
    } finally {
      await gw.close();
    }
  });
});
