import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const QUERY = `{ user(id: "7") { name } }`;

describe('in-flight deduplication across requests', () => {
  it('concurrent identical GETs from different requests share one upstream call', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 150 } } } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => gw!.query(QUERY)));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]!.body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });

  it('is switchable per service', async () => {
    gw = await startGateway({ env: { USERS_DEDUPE: 'false' }, demo: { knobs: { users: { latencyMs: 150 } } } });
    await Promise.all(Array.from({ length: 5 }, () => gw!.query(QUERY)));
    expect(gw.demo.stats.users.calls).toHaveLength(5);
  });

  it('does not share once the first call has ended', async () => {
    gw = await startGateway();
    await gw.query(QUERY);
    await gw.query(QUERY);
    expect(gw.demo.stats.users.calls).toHaveLength(2);
  });

  it('one client leaving does not abort the call another client still waits for', async () => {
    gw = await startGateway({ demo: { knobs: { users: { latencyMs: 400 } } } });
    const controller = new AbortController();
    const leaving = fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: controller.signal,
    }).catch(() => 'left');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const staying = gw.query(QUERY);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await leaving).toBe('left');
    const { body } = await staying;
    expect(body.extensions).toBeUndefined();
    expect(body.data.user.name).toEqual(expect.any(String));
    expect(gw.demo.stats.users.calls).toHaveLength(1);
  });
});
