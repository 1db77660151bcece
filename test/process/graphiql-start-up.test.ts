import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_QUERY, DEFER_QUERY, PARTIAL_FAILURE_QUERY, PLACE_ORDER_QUERY, STALE_QUERY } from '../../src/graphiql/tabs.js';
import { graphiqlTabsAt } from '../helpers/graphiql-page.js';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';

let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

it.each([
  ['a path to nothing', (dir: string) => path.join(dir, 'missing.graphql')],
  ['a document that does not parse', (dir: string) => writeFile(dir, 'typo.graphql', '{ user(id: "1") { name }')],
])('GRAPHIQL_DEFAULT_QUERY with %s: start-up stops with one line naming it', (_name, pathIn) => {
  const file = pathIn(mkdtempSync(path.join(tmpdir(), 'graphiql-start-up-')));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', GRAPHIQL_DEFAULT_QUERY: file },
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^configuration error: GRAPHIQL_DEFAULT_QUERY: .*graphql: /)]);
});

it('WORKERS=2: the workers, whose URLs the primary set, still know the demo upstreams and show the demo tabs', { timeout: 60_000 }, async () => {
  gateway = spawnGateway({ PORT: '0', WORKERS: '2' });
  const port = (await gateway.waitForLog(isListening, 60_000))['port'] as number;
  await gateway.waitForLog(isListening, 60_000, 2);
  // Each page view on its own connection, so that both workers answer some.
  for (let view = 0; view < 4; view++) {
    expect(await graphiqlTabsAt(`http://127.0.0.1:${port}/graphql`)).toEqual([DEFAULT_QUERY, PARTIAL_FAILURE_QUERY, DEFER_QUERY, PLACE_ORDER_QUERY, STALE_QUERY]);
  }
});

function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}
