import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../../codegen.js';
import { ClientDashboardDocument } from '../../examples/client/dashboard.js';

/**
 * The example client's generated code is committed. Codegen runs here in
 * memory (offline, from the same codegen.ts) and its output is compared with
 * the committed files, so a schema or operation change without
 * `npm run codegen` fails.
 */
describe('generated client code', () => {
  it('is what `npm run codegen` generates now', { timeout: 60_000 }, async () => {
    const outputs: ReadonlyArray<{ filename: string; content: string }> = await generate({ ...codegenConfig, cwd: process.cwd(), silent: true, verbose: false }, false);

    expect(outputs.map((output) => path.relative(process.cwd(), output.filename)).sort()).toEqual([
      'examples/client/gql/gql.ts',
      'examples/client/gql/graphql.ts',
      'examples/client/gql/index.ts',
      'examples/client/gql/persisted-documents.json',
    ]);
    for (const output of outputs) {
      expect(readFileSync(output.filename, 'utf8'), `${output.filename} is stale: run \`npm run codegen\``).toBe(output.content);
    }
  });

  it('writes a persisted-documents manifest whose ids are sha256 of the documents they name', () => {
    const manifest = JSON.parse(readFileSync('examples/client/gql/persisted-documents.json', 'utf8')) as Record<string, string>;

    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    for (const [id, document] of Object.entries(manifest)) {
      expect(id).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
    }
    // The id the client sends is a key of the manifest the gateway reads.
    expect(manifest[ClientDashboardDocument.__meta__?.['hash'] as string]).toMatch(/^query ClientDashboard\(/);
  });
});
