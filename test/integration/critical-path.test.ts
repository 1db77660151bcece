import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Every upstream answers after 300 ms. A query whose true dependency depth is
 * one upstream must take about 300 ms, not the sum along the parent chain.
 * Margins are wide (< 1.5x): this proves overlap, not speed.
 */
const LATENCY = 300;
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({
    demo: { knobs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, { latencyMs: LATENCY }])) },
  });
  await gw.query(`{ user(id: "1") { id } }`); // warm sockets and the document cache
});
afterAll(() => gw.close());

describe('critical path', () => {
  it('user(id) { name orders notifications } takes about one upstream, not users + the slowest child', async () => {
    const { body, ms } = await gw.query(`{ user(id: "2") { name orders { id } notifications { id } } }`);
    expect(body.data.user.orders).toEqual(expect.any(Array));
    expect(ms).toBeLessThan(LATENCY * 1.5);
  });

  it('dashboard(userId) takes about the slowest single upstream', async () => {
    const { body, ms } = await gw.query(`{ dashboard(userId: "3") { user { name orders { id } } orders { id } notifications { id } } }`);
    expect(body.data.dashboard.user.name).toEqual(expect.any(String));
    expect(ms).toBeLessThan(LATENCY * 1.5);
  });

  it('users -> orders -> product + stock: depth 2, and products and stock start together', async () => {
    const { body, ms } = await gw.query(
      `query ($ids: [ID!]!) { users(ids: $ids) { name orders { id product { name stock { available } } } notifications { id } } }`,
      { ids: ['4', '5', '6', '7', '8'] },
    );
    expect(body.errors).toBeUndefined();
    expect(ms).toBeLessThan(LATENCY * 2 * 1.5);
  });

  it('fields under @skip are not loaded', async () => {
    gw.demo.resetStats();
    await gw.query(`query ($no: Boolean!) { user(id: "9") { name orders @skip(if: $no) { id } } }`, { no: true });
    expect(gw.demo.stats.orders.calls).toHaveLength(0);
  });
});
