import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * WORKERS > 1 with the memory store: each worker keeps its own rows, and a
 * write's invalidation in one worker must have reached every other worker
 * when it resolves. Real node:cluster workers and IPC (test/fixtures/cache-bus-cluster.ts).
 */
describe('cache invalidation across cluster workers', () => {
  it("a forget in one worker has removed the key from every worker's memory store when it resolves", () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/cache-bus-cluster.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const { has } = JSON.parse(run.stdout.trim()) as { has: string[][] };
    expect(has).toEqual([['2'], ['2'], ['2']]);
  }, 60_000);
});
