import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';

const text = (n: number) => JSON.stringify({ at: n, value: { id: String(n), name: 'x'.repeat(200) } });

describe('the memory store', () => {
  it('keeps its rows within a fifth of its bound (the rest is room for the heap), least recently used keys out first', async () => {
    // Rows get 20_000 of the 100_000: see HEAP_ROOM.
    const store = createMemoryStore(100_000);
    const write = (n: number) => store.write([{ key: `k${n}`, field: 'pub', text: text(n), ttlMs: 60_000, startedAt: 0 }]);
    // Reading a key makes it the most recently used one.
    const has = async (n: number) => ((await store.read([`k${n}`], ['pub']))[0] as Array<string | undefined>)[0] !== undefined;
    await write(0);
    // Counted at two bytes a character plus bookkeeping: about 25 of these fit.
    const fit = Math.floor(20_000 / store.bytes);
    expect(fit).toBeGreaterThan(15);
    for (let n = 1; n < 40; n++) {
      await write(n);
      expect(store.bytes).toBeLessThanOrEqual(20_000);
    }
    expect(store.bytes).toBeGreaterThan(20_000 - 2 * (20_000 / fit));
    expect(await has(30)).toBe(true);
    for (let n = 40; n < 40 + fit - 2; n++) await write(n);
    // k31 to k39 were used less recently than k30, and went first.
    expect(await has(31)).toBe(false);
    expect(await has(30)).toBe(true);
    expect(await has(0)).toBe(false);
    expect(await has(40 + fit - 3)).toBe(true);
  });

  it('keeps one field per audience under a key; a field past its time is gone; removing the key removes all', async () => {
    let now = 1_000_000;
    const store = createMemoryStore(1 << 20, () => now);
    await store.write([
      { key: 'k', field: 'pub', text: 'public', ttlMs: 10_000, startedAt: 0 },
      { key: 'k', field: 'p:ada', text: 'ada', ttlMs: 60_000, startedAt: 0 },
    ]);
    expect(await store.read(['k', 'other'], ['pub', 'p:ada', 'p:bob'])).toEqual([
      ['public', 'ada', undefined],
      [undefined, undefined, undefined],
    ]);
    now += 20_000;
    expect(await store.read(['k'], ['pub', 'p:ada'])).toEqual([[undefined, 'ada']]);
    await store.remove(['k']);
    expect(await store.read(['k'], ['pub', 'p:ada'])).toEqual([[undefined, undefined]]);
    expect(store.bytes).toBe(0);
  });
});
