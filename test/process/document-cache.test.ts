import { afterEach, expect, it } from 'vitest';
import { isListening, processStats, spawnGateway, type GatewayProcess } from '../helpers/process.js';

/**
 * Issue 16, finding 2: Yoga's parse cache kept every distinct document (up
 * to 1,024 of them, for an hour, whatever their size; syntax errors too).
 * Comments are not tokens, so `{ __typename }` followed by a 990 KB comment
 * passes every limit, and each distinct one stayed in memory: 2,000 of them
 * took the process from 188 MB to 2.15 GB. The process's own RSS must stay
 * bounded over such traffic.
 */
let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

const REQUESTS = 300;
const COMMENT = 'x'.repeat(990_000);

it(`${REQUESTS} distinct 990 KB documents (a comment after { __typename }) leave RSS bounded`, { timeout: 120_000 }, async () => {
  gateway = spawnGateway({ PORT: '0' });
  const port = (await gateway.waitForLog(isListening, 60_000))['port'] as number;
  const post = async (index: number, text = COMMENT) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } #${index} ${text}` }),
    });
    return { status: response.status, body: await response.text() };
  };
  // Warm up: the first large bodies grow the heap once, whatever is kept.
  for (let index = 0; index < 20; index++) await post(-index);
  const before = processStats(gateway.child.pid!);

  let sent = 0;
  const worker = async () => {
    while (sent < REQUESTS) {
      const answer = await post(sent++);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('{"data":{"__typename":"Query"}}');
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const after = processStats(gateway.child.pid!);
  const cpuMs = (after.cpuMs - before.cpuMs) / REQUESTS;
  console.log(`RSS ${before.rssMb.toFixed(0)} MB -> ${after.rssMb.toFixed(0)} MB over ${REQUESTS} distinct 990 KB documents, ${cpuMs.toFixed(1)} ms CPU each`);

  // Kept whole, 300 documents hold ~280 MB; bounded, the heap's ordinary growth and garbage stay far below that.
  expect(after.rssMb - before.rssMb).toBeLessThan(150);
  expect(gateway.child.exitCode).toBeNull();
});
