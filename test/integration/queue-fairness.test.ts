import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/logs.js';

/**
 * One client floods the services' wait queues; another keeps asking for its
 * dashboard. Scaled down from the attack that once opened the users, orders
 * and notifications breakers of healthy upstreams and starved every other
 * client (36 loops of 10 aliases of 100 unknown ids against 800 ms upstreams;
 * `scripts/hardening/queue-flood.ts` runs that one): 8 slots and 32 queue
 * places per service, 400 ms upstreams, 1 s timeouts. Attacker and victim
 * connect from different loopback addresses, as two machines would.
 */
const logs = captureLogs('info');
let gateway: TestGateway;
beforeAll(async () => {
  const env: Record<string, string> = {};
  for (const service of ['USERS', 'ORDERS', 'NOTIFICATIONS']) {
    Object.assign(env, { [`${service}_MAX_CONCURRENCY`]: '8', [`${service}_MAX_QUEUE`]: '32', [`${service}_TIMEOUT_MS`]: '1000', [`${service}_MAX_BATCH_SIZE`]: '10' });
  }
  const latency = { latencyMs: 400 };
  gateway = await startGateway({
    env,
    logger: logs.logger,
    demo: { knobs: { users: latency, orders: latency, notifications: latency, products: latency, inventory: latency } },
  });
});
afterAll(() => gateway.close());

function post(localAddress: string, body: unknown): Promise<{ status: number; json: any }> {
  const url = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

const ALIASES = Array.from({ length: 10 }, (_, index) => `a${index}: users(ids: $i${index}) { orders { id } notifications { id } }`);
const FLOOD = `query Flood(${ALIASES.map((_, index) => `$i${index}: [ID!]!`).join(', ')}) { ${ALIASES.join(' ')} }`;
const DASHBOARD = '{ dashboard(userId: "1") { user { name } orders { id } notifications { id } } }';

it("a client flooding the queues neither opens healthy upstreams' breakers nor starves another client", { timeout: 30_000 }, async () => {
  let serial = 0;
  // Fresh unknown ids every time: 10 calls per service per request, none shared with another request.
  const floodOnce = () => post('127.0.0.2', { query: FLOOD, variables: Object.fromEntries(ALIASES.map((_, index) => [`i${index}`, Array.from({ length: 10 }, () => `nobody-${serial++}`)])) });
  const endAt = Date.now() + 6000;
  const attack = { answers: 0, saturated: 0 };
  const attacker = async () => {
    while (Date.now() < endAt) {
      const answer = await floodOnce();
      attack.answers++;
      if (answer.json.extensions?.errors?.some((entry: { code: string }) => entry.code === 'TIMEOUT')) attack.saturated++;
    }
  };
  const victim = { good: 0, bad: 0 };
  const victimLoop = async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the queues are full by now
    while (Date.now() < endAt) {
      const answer = await post('127.0.0.3', { query: DASHBOARD });
      if (answer.status === 200 && answer.json.data?.dashboard?.user?.name && !answer.json.extensions?.errors) victim.good++;
      else victim.bad++;
    }
  };
  await Promise.all([...Array.from({ length: 8 }, attacker), victimLoop()]);
  console.log(`queue flood: attacker ${attack.answers} answers (${attack.saturated} with timeouts); victim ${victim.good} good, ${victim.bad} not`);

  expect(attack.saturated).toBeGreaterThan(0); // the flood did saturate the queues
  expect(logs.lines('circuit opened: calls fail at once until a probe succeeds')).toEqual([]);
  for (const service of ['users', 'orders', 'notifications'] as const) expect(gateway.gateway.clients[service].breakerState).toBe('closed');
  // A dashboard takes about two 400 ms round trips: about 6 fit in the window. Before the fix none was whole; now
  // all are, but on a loaded machine an event-loop stall may still cost one its deadline.
  expect(victim.good).toBeGreaterThanOrEqual(3);
  expect(victim.good).toBeGreaterThanOrEqual(2 * victim.bad);
});
