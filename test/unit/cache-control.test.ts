import { describe, expect, it } from 'vitest';
import { cachePolicy } from '../../src/cache/cache-control.js';

describe('cachePolicy: what an upstream answer lets the gateway keep', () => {
  it('s-maxage is the freshness, else max-age', () => {
    expect(cachePolicy('max-age=60')).toEqual({ freshMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, private: false });
    expect(cachePolicy('max-age=60, s-maxage=5')?.freshMs).toBe(5000);
    expect(cachePolicy('S-MAXAGE=7, Max-Age=60')?.freshMs).toBe(7000);
  });

  it('no-store, no-cache, no header, or no freshness at all: not kept', () => {
    for (const header of [undefined, '', 'no-store, max-age=60', 'max-age=60, no-cache', 'public', 'private', 'stale-if-error=600']) {
      expect(cachePolicy(header), String(header)).toBeUndefined();
    }
  });

  it('reads the stale windows and private', () => {
    expect(cachePolicy('private, max-age=5')).toEqual({ freshMs: 5000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, private: true });
    expect(cachePolicy('max-age=2, stale-while-revalidate=5')?.staleWhileRevalidateMs).toBe(5000);
    expect(cachePolicy('max-age=60, stale-if-error=600')?.staleIfErrorMs).toBe(600_000);
    // A field-list private is private all the same: nothing is shared that the upstream meant for one user.
    expect(cachePolicy('private="set-cookie", max-age=5')?.private).toBe(true);
  });

  it('must-revalidate and proxy-revalidate forbid stale answers', () => {
    expect(cachePolicy('max-age=1, stale-if-error=600, stale-while-revalidate=9, must-revalidate')).toMatchObject({
      freshMs: 1000,
      staleIfErrorMs: 0,
      staleWhileRevalidateMs: 0,
    });
    expect(cachePolicy('max-age=1, stale-if-error=600, proxy-revalidate')?.staleIfErrorMs).toBe(0);
  });

  it('ignores values that are not whole seconds, and caps them at a year', () => {
    expect(cachePolicy('max-age=-1')).toBeUndefined();
    expect(cachePolicy('max-age=1.5')).toBeUndefined();
    expect(cachePolicy('max-age="30"')?.freshMs).toBe(30_000);
    expect(cachePolicy('max-age=60, stale-if-error=soon')?.staleIfErrorMs).toBe(0);
    expect(cachePolicy('max-age=99999999999999')?.freshMs).toBe(365 * 24 * 3600 * 1000);
  });

  it('the first of a repeated directive counts', () => {
    expect(cachePolicy('max-age=10, max-age=1000')?.freshMs).toBe(10_000);
  });
});
