import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectSchema, SCHEMA_FILE, schemaFileText } from '../../src/schema/print.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/** Client teams generate code from schema/schema.graphql: it must be exactly what the gateway serves. */
describe('schema/schema.graphql', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('is the schema served over HTTP (introspection), as `npm run schema` prints it', async () => {
    const served = schemaFileText(await introspectSchema(gw.url));
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema/schema.graphql is stale: run `npm run schema`').toBe(served);
  });

  it('declares the @defer and @stream directives that the server accepts', () => {
    const text = readFileSync(SCHEMA_FILE, 'utf8');
    expect(text).toMatch(/^directive @defer\(/m);
    expect(text).toMatch(/^directive @stream\(/m);
  });
});
