import { getNamedType, isObjectType } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/index.js';
import { declaredChildren } from '../../src/schema/prefetch.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Every child declared with `keyedChild` starts together with its parent: a
 * parent fetched by key, with that child selected, takes about one upstream
 * latency, not two. Every child declared with `rowChild` starts as soon as
 * the rows it hangs from arrive, even while the parent above them is still
 * loading. A declared child that stopped being started early (or a
 * declaration that names no real field) fails here, whatever its service.
 */
const LATENCY = 400;
/** A key of the demo data for each parent type that has declared children. */
const KNOWN_KEY: Record<string, string> = { User: '1', Product: 'p1' };

const schema = gatewaySchema();
const children = declaredChildren();

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ demo: { knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs: LATENCY }])) } });
  await gw.query(`{ user(id: "1") { id } product(id: "p1") { id } }`); // warm sockets
});
afterEach(() => {
  for (const name of SERVICE_NAMES) gw.demo.knobs[name].latencyMs = LATENCY;
});
afterAll(() => gw.close());

/** The root field that fetches one `parent` by `id`. */
function rootFieldFor(parent: string): string {
  const field = Object.values(schema.getQueryType()!.getFields()).find(
    (candidate) => getNamedType(candidate.type).name === parent && candidate.args.length === 1 && candidate.args[0]!.name === 'id',
  );
  if (!field) throw new Error(`no root field fetches one ${parent} by id`);
  return field.name;
}

const TRACE = { 'x-gateway-trace': '1' };

describe('declared children', () => {
  it('are declared at all, each on a real field of its parent type', () => {
    expect(children.filter(({ kind }) => kind === 'keyed').length).toBeGreaterThan(0);
    expect(children.filter(({ kind }) => kind === 'row').length).toBeGreaterThan(0);
    for (const { parent, field } of children) {
      const type = schema.getType(parent);
      expect(isObjectType(type) && type.getFields()[field], `${parent}.${field}`).toBeTruthy();
    }
  });

  const keyed = children.filter(({ kind }) => kind === 'keyed');
  it.each(keyed.map(({ parent, field }) => ({ name: `${parent}.${field}`, parent, field })))(
    '$name starts with its parent: about one upstream latency, not two',
    async ({ parent, field }) => {
      const root = rootFieldFor(parent);
      const { body, ms } = await gw.query(`{ ${root}(id: "${KNOWN_KEY[parent]}") { id ${field} { __typename } } }`);
      expect(body.errors).toBeUndefined();
      expect(body.extensions).toBeUndefined();
      expect(body.data[root].id).toBe(KNOWN_KEY[parent]);
      expect(ms).toBeLessThan(LATENCY * 1.5);
    },
  );

  const rows = children.filter(({ kind }) => kind === 'row');
  it.each(rows.map(({ parent, field }) => ({ name: `${parent}.${field}`, parent, field })))(
    '$name starts when its rows arrive, not when the parent above them has answered',
    async ({ parent, field }) => {
      const via = keyed.find(({ rowType }) => rowType === parent);
      expect(via, `a keyed child whose rows are ${parent}`).toBeDefined();
      const root = rootFieldFor(via!.parent);
      const key = KNOWN_KEY[via!.parent];
      // The parent's own service answers late; everything else after LATENCY.
      const alone = await gw.query(`{ ${root}(id: "${key}") { id } }`, undefined, TRACE);
      const [rootCall] = alone.body.extensions.upstreams;
      const slow = LATENCY * 3;
      gw.demo.knobs[rootCall.service as (typeof SERVICE_NAMES)[number]].latencyMs = slow;

      const { body } = await gw.query(`{ ${root}(id: "${key}") { id ${via!.field} { ${field} { __typename } } } }`, undefined, TRACE);
      expect(body.errors).toBeUndefined();
      const calls: Array<{ service: string; startMs: number }> = body.extensions.upstreams;
      expect(calls.length).toBeGreaterThanOrEqual(3);
      // Started from the keyed child's rows (after about LATENCY), long before the parent's call ends (after `slow`).
      for (const call of calls) expect(call.startMs, call.service).toBeLessThan(LATENCY * 2);
    },
  );
});
