import { buildGraphiQLAssets } from '../scripts/build-graphiql.js';

/** The gateway serves GraphiQL from the built bundle: build it (once; later runs reuse it while its inputs stay). */
export default async function setup(): Promise<void> {
  await buildGraphiQLAssets({ onlyIfStale: true });
}
