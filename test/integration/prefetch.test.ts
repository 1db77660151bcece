import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/index.js';
import { declaredChildren } from '../../src/schema/prefetch.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Every child declared with `keyedChild` starts together with its parent:
 * a parent fetched by key, with that child selected, takes about one upstream
 * latency, not two. A declared child that stopped being started early (or a
 * declaration that names no real field) fails here, whatever its service.
 */
const LATENCY = 250;
/** A key of the demo data for each parent type that has declared children. */
const KNOWN_KEY: Record<string, string> = { User: '1', Product: 'p1' };

const schema = gatewaySchema();
const children = declaredChildren();

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ demo: { knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs: LATENCY }])) } });
  await gw.query(`{ user(id: "1") { id } product(id: "p1") { id } }`); // warm sockets
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

describe('declared children', () => {
  it('are declared at all, each on a real field of its parent type', () => {
    expect(children.length).toBeGreaterThan(0);
    for (const { parent, field } of children) {
      const type = schema.getType(parent);
      expect(isObjectType(type) && type.getFields()[field], `${parent}.${field}`).toBeTruthy();
      expect(KNOWN_KEY[parent], `a demo key for ${parent}`).toEqual(expect.any(String));
    }
  });

  it.each(children.map(({ parent, field }) => ({ name: `${parent}.${field}`, parent, field })))(
    '$name starts with its parent: about one upstream latency, not two',
    async ({ parent, field }) => {
      const root = rootFieldFor(parent);
      const { body, ms } = await gw.query(`{ ${root}(id: "${KNOWN_KEY[parent]}") { id ${field} { __typename } } }`);
      expect(body.errors).toBeUndefined();
      expect(body.extensions).toBeUndefined();
      expect(body.data[root].id).toBe(KNOWN_KEY[parent]);
      expect(ms).toBeLessThan(LATENCY * 1.6);
    },
  );
});
