import { describe, expect, it } from 'vitest';
import { callLabel, layoutWaterfall, serviceHue, type TracedCall } from '../../src/graphiql/browser/waterfall.js';
import { SERVICE_NAMES } from '../../src/services/index.js';

const call = (overrides: Partial<TracedCall>): TracedCall => ({
  service: 'users',
  route: '/users?ids={keys}',
  batch: true,
  keys: 1,
  status: 200,
  attempts: 1,
  startMs: 0,
  durationMs: 10,
  ...overrides,
});

describe('the waterfall of upstream calls', () => {
  it('puts every call of every part on one time axis that ends with the last call', () => {
    const waterfall = layoutWaterfall([
      { title: 'Response', calls: [call({ service: 'orders', startMs: 0, durationMs: 20 }), call({ service: 'products', startMs: 20, durationMs: 30 })] },
      { title: '@defer "n" at dashboard', calls: [call({ service: 'notifications', startMs: 50, durationMs: 50 })] },
    ]);
    expect(waterfall.spanMs).toBe(100);
    expect(waterfall.calls).toBe(3);
    const bars = waterfall.groups.flatMap((group) => group.services.flatMap((service) => service.bars));
    expect(bars.map(({ service, leftPercent, widthPercent }) => [service, leftPercent, widthPercent])).toEqual([
      ['orders', 0, 20],
      ['products', 20, 30],
      ['notifications', 50, 50],
    ]);
    expect(waterfall.groups.map((group) => group.title)).toEqual(['Response', '@defer "n" at dashboard']);
  });

  it('groups a part by service, in the order of their first call, one bar per call', () => {
    const [group] = layoutWaterfall([
      {
        title: 'Response',
        calls: [
          call({ service: 'products', startMs: 30 }),
          call({ service: 'users', startMs: 0 }),
          call({ service: 'products', startMs: 5, route: '/products/{key}', batch: false }),
        ],
      },
    ]).groups;
    expect(group!.services.map(({ service, bars }) => [service, bars.length])).toEqual([
      ['users', 1],
      ['products', 2],
    ]);
  });

  it('keeps an instant call visible and inside the axis', () => {
    const [bar] = layoutWaterfall([{ title: 'Response', calls: [call({ startMs: 1000, durationMs: 0 }), call({ startMs: 0, durationMs: 1000 })] }]).groups[0]!.services[0]!.bars;
    expect(bar!.widthPercent).toBeGreaterThan(0);
    expect(bar!.leftPercent + bar!.widthPercent).toBeLessThanOrEqual(100);
  });

  it('marks failed calls, and calls an entity cache answered', () => {
    const bars = layoutWaterfall([
      { title: 'Response', calls: [call({ code: 'TIMEOUT', status: undefined, attempts: 3 }), call({ cache: 'stale', startMs: 1 })] },
    ]).groups[0]!.services[0]!.bars;
    expect(bars.map(({ failed, cache }) => ({ failed, cache }))).toEqual([
      { failed: true, cache: undefined },
      { failed: false, cache: 'stale' },
    ]);
  });

  it('names a write by its method: a POST is not taken for a read of the same route', () => {
    expect(callLabel(call({ service: 'orders', route: '/orders', batch: false, method: 'POST' }))).toBe('POST /orders · 1 key · 200 · 1 attempt · 10 ms');
    expect(callLabel(call({}))).toBe('/users?ids={keys} · 1 key · 200 · 1 attempt · 10 ms');
  });

  it("gives each of the gateway's services a colour of its own, none red", () => {
    const hues = SERVICE_NAMES.map(serviceHue);
    expect(new Set(hues).size).toBe(SERVICE_NAMES.length);
    expect(hues.every((hue) => hue >= 30 && hue <= 330)).toBe(true);
  });

  it('tells a part without a trace from a part without calls', () => {
    const groups = layoutWaterfall([
      { title: 'Response', calls: undefined },
      { title: 'Final part', calls: [] },
    ]).groups;
    expect(groups.map(({ traced, services }) => [traced, services.length])).toEqual([
      [false, 0],
      [true, 0],
    ]);
  });
});

describe('a call label', () => {
  it.each([
    [call({ keys: 50, durationMs: 12.4 }), '/users?ids={keys} · 50 keys · 200 · 1 attempt · 12 ms'],
    [call({ code: 'HTTP_ERROR', status: 503, attempts: 3 }), '/users?ids={keys} · 1 key · HTTP_ERROR 503 · 3 attempts · 10 ms'],
    [call({ code: 'TIMEOUT', status: undefined, attempts: 2 }), '/users?ids={keys} · 1 key · TIMEOUT · 2 attempts · 10 ms'],
    [call({ shared: true, attempts: 0 }), '/users?ids={keys} · 1 key · 200 · 0 attempts · shared · 10 ms'],
    [call({ cache: 'hit', attempts: 0, status: undefined }), '/users?ids={keys} · 1 key · 0 attempts · cache hit · 10 ms'],
  ])('%j', (traced, label) => {
    expect(callLabel(traced)).toBe(label);
  });
});
