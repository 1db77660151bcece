import { readFileSync } from 'node:fs';
import { ConfigError } from '../env-readers.js';
import { plain, type Representation } from './delivery.js';

/** Where scripts/build-graphiql.ts puts the page's bundle, from the repository (or image) root. */
export const ASSETS_DIR = 'dist/graphiql-assets';
export const MANIFEST = 'manifest.json';

/** What the build made, by role; every name carries a hash of its content. */
export interface AssetManifest {
  /** Hash of what the bundle was built from; the build skips itself when nothing changed. */
  readonly inputs: string;
  readonly script: string;
  readonly style: string;
  readonly workers: { readonly editor: string; readonly json: string; readonly graphql: string };
}

export interface GraphiQLAssets {
  readonly manifest: AssetManifest;
  /** By file name: the build's br and gzip forms beside each file, read once. */
  readonly files: ReadonlyMap<string, Representation>;
}

// This module runs as src/graphiql/assets.ts (tests, `npm run dev`) or dist/graphiql/assets.js: two levels
// below the root either way.
const assetsDir = new URL(`../../${ASSETS_DIR}/`, import.meta.url);

/** A file's name changes with its content, so a browser may keep it for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let loaded: GraphiQLAssets | undefined;

/** The built bundle, read into memory once per process; without it GraphiQL cannot be served, so start-up stops. */
export function loadGraphiQLAssets(): GraphiQLAssets {
  try {
    loaded ??= readAssets();
  } catch {
    throw new ConfigError(`GRAPHIQL: the GraphiQL page is not built (${ASSETS_DIR}/ is missing or incomplete); run \`npm run build\`, or set GRAPHIQL=false`);
  }
  return loaded;
}

function readAssets(): GraphiQLAssets {
  const manifest = JSON.parse(readFileSync(new URL(MANIFEST, assetsDir), 'utf8')) as AssetManifest;
  const names = [manifest.script, manifest.style, ...Object.values(manifest.workers)];
  return { manifest, files: new Map(names.map((name) => [name, readRepresentation(name)])) };
}

function readRepresentation(name: string): Representation {
  const read = (suffix: string) => plain(readFileSync(new URL(`${name}${suffix}`, assetsDir)));
  return {
    contentType: CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
    cacheControl: IMMUTABLE,
    tag: name,
    bodies: { identity: read(''), br: read('.br'), gzip: read('.gz') },
  };
}
