import { describe, expect, it } from 'vitest';
import { deliveredBy, isFinalPart } from '../../src/errors/part-paths.js';

describe('which response part delivers a nulled path', () => {
  it('an initial part delivers the paths its data holds, nulls included', () => {
    const delivered = deliveredBy({ data: { dashboard: { user: null, orders: [{ product: null }] } }, hasNext: true });
    expect(delivered(['dashboard', 'user'])).toBe(true);
    expect(delivered(['dashboard', 'orders', 0, 'product'])).toBe(true);
    expect(delivered(['dashboard', 'notifications'])).toBe(false);
    expect(delivered(['dashboard', 'orders', 1, 'product'])).toBe(false);
  });

  it('a deferred part delivers the paths under its increment', () => {
    const delivered = deliveredBy({ incremental: [{ path: ['dashboard'], data: { notifications: null } }], hasNext: true });
    expect(delivered(['dashboard', 'notifications'])).toBe(true);
    expect(delivered(['dashboard', 'user'])).toBe(false);
  });

  it('a streamed part delivers the list items it sends, counted from its start index', () => {
    const delivered = deliveredBy({ incremental: [{ path: ['users', 2], items: [null, { orders: null }] }], hasNext: true });
    expect(delivered(['users', 2])).toBe(true);
    expect(delivered(['users', 3, 'orders'])).toBe(true);
    expect(delivered(['users', 1])).toBe(false);
    expect(delivered(['users', 4])).toBe(false);
  });

  it('only a part with hasNext: true is not the last', () => {
    expect(isFinalPart({ data: {} })).toBe(true);
    expect(isFinalPart({ hasNext: false })).toBe(true);
    expect(isFinalPart({ hasNext: true })).toBe(false);
  });
});
