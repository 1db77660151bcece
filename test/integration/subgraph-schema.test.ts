import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_PATH } from '../../src/endpoints.js';
import { fetchSubgraphSdl, introspectSchema, SCHEMA_FILE, schemaFileText, SUBGRAPH_FILE, subgraphFileText } from '../../src/schema/print.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { composeWithOffers, GATEWAY_SUBGRAPH, OFFERS_SUBGRAPH } from '../helpers/supergraph.js';

/** Supergraph teams compose schema/subgraph.graphql: it must be exactly what /subgraph serves, and it must compose. */
describe('schema/subgraph.graphql', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { FEDERATION: 'true' } });
  });
  afterAll(() => gw.close());

  it('is the SDL that /subgraph serves to routers (_service { sdl }), as `npm run schema` prints it', async () => {
    const served = subgraphFileText(await fetchSubgraphSdl(new URL(SUBGRAPH_PATH, gw.url).href));
    expect(readFileSync(SUBGRAPH_FILE, 'utf8'), 'schema/subgraph.graphql is stale: run `npm run schema`').toBe(served);
  });

  it('leaves /graphql serving exactly schema/schema.graphql when federation is on', async () => {
    expect(schemaFileText(await introspectSchema(gw.url))).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('links a Federation v2 spec and keys User and Product, and only them, by id', () => {
    const sdl = readFileSync(SUBGRAPH_FILE, 'utf8');
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \["@key"\]\)/);
    const keyed = [...sdl.matchAll(/^type (\w+)\s+@key\(fields: "(\w+)"\)/gm)].map(([, type, key]) => `${type}:${key}`);
    expect(keyed).toEqual(['Product:id', 'User:id']);
  });

  it('composes with a second subgraph that extends Product and references it, without errors', () => {
    const result = composeWithOffers({ gateway: 'http://gateway.test/subgraph', offers: 'http://offers.test/graphql' });
    expect(result.errors ?? []).toEqual([]);
    const supergraph = buildASTSchema(parse(result.supergraphSdl!), { assumeValidSDL: true });
    // Product is served by both subgraphs, keyed by id in each; its offers come from the other one.
    const product = supergraph.getType('Product')!;
    const joins = product.astNode!.directives!.filter((directive) => directive.name.value === 'join__type');
    expect(joins.map((join) => (join.arguments!.find((argument) => argument.name.value === 'graph')!.value as { value: string }).value)).toEqual([
      GATEWAY_SUBGRAPH.toUpperCase(),
      OFFERS_SUBGRAPH.toUpperCase(),
    ]);
    const publicSchema = buildASTSchema(parse(result.publicSdl!));
    expect(Object.keys(publicSchema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['user', 'users', 'product', 'products', 'dashboard', 'deals']));
    expect(publicSchema.getQueryType()!.getFields()['_entities']).toBeUndefined();
  });
});
