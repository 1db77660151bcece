import { writeFileSync } from 'node:fs';
import { loadConfig, withUpstreamUrls } from '../src/config.js';
import { SERVICE_NAMES } from '../src/services/index.js';
import { createGateway } from '../src/server.js';
import { fetchSubgraphSdl, introspectSchema, SCHEMA_FILE, schemaFileText, SUBGRAPH_FILE, subgraphFileText } from '../src/schema/print.js';

/**
 * `npm run schema`: writes the SDL that client teams generate their code
 * from, as the gateway serves it (plugins add directives such as @defer),
 * and the subgraph SDL that a federation router composes, as `/subgraph`
 * serves it. Neither calls an upstream, so the URLs only need to be valid,
 * and GraphiQL is off so that it runs before `npm run build` has built its page.
 */
const unused = new URL('http://127.0.0.1:9/');
const config = withUpstreamUrls(loadConfig({ FEDERATION: 'true', GRAPHIQL: 'false' }), Object.fromEntries(SERVICE_NAMES.map((name) => [name, unused])));
const gateway = createGateway(config);
try {
  const schema = await introspectSchema('http://gateway.local/graphql', (url, init) => Promise.resolve(gateway.yoga.fetch(url, init)));
  writeFileSync(SCHEMA_FILE, schemaFileText(schema));
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  const sdl = await fetchSubgraphSdl('http://gateway.local/subgraph', (url, init) => Promise.resolve(gateway.subgraph!.fetch(url, init)));
  writeFileSync(SUBGRAPH_FILE, subgraphFileText(sdl));
  process.stdout.write(`wrote ${SUBGRAPH_FILE}\n`);
} finally {
  gateway.close();
}
