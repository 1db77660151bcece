import { afterAll, beforeAll, expect, it } from 'vitest';
import { isListening, processStats, spawnGateway, type GatewayProcess } from '../helpers/process.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * Issue 16, finding 9: bodies whose parsing alone stalls the event loop.
 * 980 KB of nested arrays in a variable cost ~270 ms of synchronous
 * JSON.parse; a multipart body of 13,500 tiny parts ~320 ms. Both must be
 * refused for a few milliseconds of the process's own CPU.
 */
let gateway: GatewayProcess;
let url: string;
beforeAll(async () => {
  gateway = spawnGateway({ PORT: '0' });
  url = `http://127.0.0.1:${(await gateway.waitForLog(isListening, 60_000))['port'] as number}/graphql`;
}, 70_000);
afterAll(() => gateway.kill());

const COPIES = 5;

/** The gateway's own CPU per request over COPIES requests, and every answer's status. */
async function cpuPerRequest(headers: Record<string, string>, body: string): Promise<{ ms: number; statuses: number[] }> {
  const before = processStats(gateway.child.pid!).cpuMs;
  const statuses: number[] = [];
  for (let copy = 0; copy < COPIES; copy++) statuses.push((await rawRequest(url, { method: 'POST', headers, body })).status);
  return { ms: (processStats(gateway.child.pid!).cpuMs - before) / COPIES, statuses };
}

it('980 KB of nested arrays in a variable is refused without parsing it', async () => {
  const depth = 490_000;
  const body = `{"query":"{ __typename }","variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
  const { ms, statuses } = await cpuPerRequest({ 'content-type': 'application/json' }, body);
  console.log(`nested arrays: ${ms.toFixed(1)} ms of gateway CPU per request`);
  expect(statuses).toEqual(Array(COPIES).fill(400));
  expect(ms).toBeLessThan(60);
});

it('a multipart body of 13,500 parts is refused without reading the parts', async () => {
  const boundary = 'b';
  const parts = Array.from({ length: 13_500 }, (_, index) => `--${boundary}\r\nContent-Disposition: form-data; name="p${index}"\r\n\r\n1\r\n`);
  const body = `${parts.join('')}--${boundary}--\r\n`;
  // With the header that lets a non-browser client past CSRF prevention.
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-graphql-yoga-csrf': '1' };
  const { ms, statuses } = await cpuPerRequest(headers, body);
  console.log(`multipart: ${ms.toFixed(1)} ms of gateway CPU per request`);
  for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
  for (const status of statuses) expect(status).toBeLessThan(500);
  expect(ms).toBeLessThan(60);
});
