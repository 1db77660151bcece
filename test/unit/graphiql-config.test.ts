import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

const dir = mkdtempSync(join(tmpdir(), 'graphiql-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted it');
}

describe('GRAPHIQL_DEFAULT_QUERY', () => {
  it('unset: no default query of the operator', () => {
    expect(loadConfig({}).graphiqlDefaultQuery).toBeUndefined();
  });

  it("is read at start-up, the file's text as it is", () => {
    const text = '# Our first tab\nquery Mine { user(id: "1") { name } }\n';
    expect(loadConfig({ GRAPHIQL_DEFAULT_QUERY: file('mine.graphql', text) }).graphiqlDefaultQuery).toBe(text);
  });

  it.each([
    [join(dir, 'missing.graphql'), /^GRAPHIQL_DEFAULT_QUERY: .*missing\.graphql: cannot read the file \(ENOENT\)$/],
    [dir, /^GRAPHIQL_DEFAULT_QUERY: .*: cannot read the file \(EISDIR\)$/],
    [file('typo.graphql', 'quer { user(id: "1") { name } }'), /^GRAPHIQL_DEFAULT_QUERY: .*typo\.graphql: the document does not parse: Syntax Error: Unexpected Name "quer"\.$/],
    [file('schema.graphql', 'type Query { a: Int }'), /^GRAPHIQL_DEFAULT_QUERY: .*: the document holds no operation/],
  ])('%s stops start-up with one line naming the variable', (path, message) => {
    const error = configError({ GRAPHIQL_DEFAULT_QUERY: path });
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });
});

describe('the services the demo upstreams answer (demoServices)', () => {
  const urls = (...names: string[]) => Object.fromEntries(names.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, 'http://users.internal/']));

  it('are the services without a URL', () => {
    expect(loadConfig({}).demoServices).toEqual(SERVICE_NAMES);
    expect(loadConfig(urls('users', 'inventory')).demoServices).toEqual(SERVICE_NAMES.filter((name) => name !== 'users' && name !== 'inventory'));
    expect(loadConfig(urls(...SERVICE_NAMES)).demoServices).toEqual([]);
  });

  it('and those DEMO_SERVICES names, whatever their URL', () => {
    expect(loadConfig({ ...urls(...SERVICE_NAMES), DEMO_SERVICES: ' Users,inventory ' }).demoServices).toEqual(['users', 'inventory']);
  });

  it('DEMO_SERVICES naming something else stops start-up', () => {
    expect(configError({ DEMO_SERVICES: 'users,payments' })).toBe(`DEMO_SERVICES: "payments" is not a service; expected some of ${SERVICE_NAMES.join(', ')}`);
  });
});
