import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

/**
 * The environment table of docs/configuration.md is what operators configure from. The
 * variables the gateway reads are taken from loadConfig itself (every key it
 * looks up in the environment it is given), so a variable added in code and
 * not in the table, or left in the table after the code stopped reading it,
 * fails here.
 */
function variablesReadByConfig(): Set<string> {
  const read = new Set<string>();
  const record = (key: string | symbol) => {
    if (typeof key === 'string') read.add(key);
    return undefined;
  };
  loadConfig(new Proxy({}, { get: (_target, key) => record(key), has: (_target, key) => record(key) !== undefined }));
  const perService = new RegExp(`^(DEMO_)?(${SERVICE_NAMES.map((name) => name.toUpperCase()).join('|')})_`);
  return new Set([...read].map((name) => name.replace(perService, (_match, demo: string | undefined) => `${demo ?? ''}<SERVICE>_`)));
}

function variablesInDocumentedTable(): Set<string> {
  const doc = readFileSync('docs/configuration.md', 'utf8');
  const rows = doc.split('\n').filter((line) => /^\| `[A-Z<][A-Z_<>]*`[ |]/.test(line));
  return new Set(rows.map((row) => /^\| `([^`]+)`/.exec(row)![1]!));
}

describe('the environment table of docs/configuration.md', () => {
  it('lists exactly the variables the gateway reads', () => {
    const documented = variablesInDocumentedTable();
    const read = variablesReadByConfig();
    expect(read.size).toBeGreaterThan(40);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
