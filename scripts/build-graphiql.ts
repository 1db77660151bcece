/**
 * Builds the GraphiQL page's browser bundle (src/graphiql/browser/) into
 * dist/graphiql-assets/: one script, one stylesheet and Monaco's three
 * workers, each with its br and gzip forms, and a manifest the server reads at
 * start-up (src/graphiql/assets.ts). Nothing of it is committed: `npm run
 * build` (so `npm start` and the Dockerfile) runs this after tsc, `npm run
 * dev` before it starts, and the test suite's global setup before the tests.
 * Each skips the build when its inputs have not changed since the last one.
 *
 *   node --import tsx scripts/build-graphiql.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { ASSETS_DIR, MANIFEST, type AssetManifest } from '../src/graphiql/assets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BROWSER_SOURCES = path.join(root, 'src/graphiql/browser');

const ENTRY_POINTS = {
  graphiql: path.join(BROWSER_SOURCES, 'main.tsx'),
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

/** graphiql's stylesheet already holds Monaco's styles; the ones Monaco's modules import would come twice. */
const monacoStylesFromGraphiQL: Plugin = {
  name: 'monaco-styles-from-graphiql',
  setup(builder) {
    builder.onResolve({ filter: /\.css$/ }, ({ path: file, importer }) =>
      importer.includes(`${path.sep}monaco-editor${path.sep}`) ? { path: file, namespace: 'monaco-style' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'monaco-style' }, () => ({ contents: '', loader: 'css' }));
  },
};

/** Builds unless the manifest says it was built from these very inputs. */
export async function buildGraphiQLAssets({ onlyIfStale = false }: { onlyIfStale?: boolean } = {}): Promise<'built' | 'up to date'> {
  const inputs = inputsHash();
  if (onlyIfStale && builtFrom() === inputs) return 'up to date';
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    entryNames: '[name]-[hash]',
    outdir: ASSETS_DIR,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    // The page is self-contained: fonts and images stay inline, as graphiql's stylesheet has them.
    loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    // Only for subscriptions over WebSocket, which the gateway does not serve.
    external: ['graphql-ws'],
    plugins: [monacoStylesFromGraphiQL],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const assetsDir = path.join(root, ASSETS_DIR);
  rmSync(assetsDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });
  await Promise.all(result.outputFiles.map((file) => writeWithCompressedForms(file.path, file.contents)));
  writeFileSync(path.join(assetsDir, MANIFEST), `${JSON.stringify(manifestOf(result.metafile, inputs), null, 2)}\n`);
  return 'built';
}

function manifestOf(metafile: Metafile, inputs: string): AssetManifest {
  const outputs = Object.entries(metafile.outputs);
  const fileOf = (entry: string, extension = '.js') => {
    const found = outputs.find(([file, output]) => output.entryPoint !== undefined && file.endsWith(extension) && path.basename(file).startsWith(`${entry}-`));
    if (!found) throw new Error(`the GraphiQL build made no ${extension} file for ${entry}`);
    return path.basename(found[0]);
  };
  const script = fileOf('graphiql');
  const style = path.basename(metafile.outputs[`${ASSETS_DIR}/${script}`]?.cssBundle ?? '');
  if (!style) throw new Error('the GraphiQL build made no stylesheet');
  return {
    inputs,
    script,
    style,
    workers: { editor: fileOf('editor.worker'), json: fileOf('json.worker'), graphql: fileOf('graphql.worker') },
  };
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function writeWithCompressedForms(file: string, contents: Uint8Array): Promise<void> {
  const [br, gz] = await Promise.all([
    brotli(contents, {
      params: {
        // 9: 1.21 MB for the 5 MB script in under 3 s; 11 saves 9% more but takes 20 s.
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
      },
    }),
    gzip(contents, { level: 9 }),
  ]);
  writeFileSync(file, contents);
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gz);
}

/** What the bundle is made of: the browser sources, the locked package versions, and this script. */
function inputsHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(BROWSER_SOURCES, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(tsx?|css|json)$/.test(name))
      .map((name) => path.join(BROWSER_SOURCES, name)),
    path.join(root, 'src/graphiql/page-options.ts'),
    path.join(root, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

/** The inputs of the last build, if all it made is still there. */
function builtFrom(): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, ASSETS_DIR, MANIFEST), 'utf8')) as AssetManifest;
    const files = [manifest.script, manifest.style, ...Object.values(manifest.workers)];
    return files.every((file) => ['', '.br', '.gz'].every((suffix) => existsSync(path.join(root, ASSETS_DIR, `${file}${suffix}`)))) ? manifest.inputs : undefined;
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const outcome = await buildGraphiQLAssets({ onlyIfStale: true });
  process.stdout.write(`GraphiQL page ${outcome} in ${ASSETS_DIR}/ (${Math.round(performance.now() - started)} ms)\n`);
}
