import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { isListening, spawnGateway, type GatewayProcess } from '../helpers/process.js';

/**
 * The real process's inbound limits. Node enforces headersTimeout only when it
 * checks its connections (every 30 s by default), so without a shorter check
 * interval a client dribbling headers kept its socket for up to 40 s.
 */
let gateway: GatewayProcess | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

it('a client dribbling its headers is cut off soon after the 10 s header limit', { timeout: 40_000 }, async () => {
  gateway = spawnGateway({ PORT: '0' });
  const port = (await gateway.waitForLog(isListening))['port'] as number;

  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = Date.now();
  socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
  let line = 0;
  const dribble = setInterval(() => socket.writable && socket.write(`x-slow-${line++}: 1\r\n`), 1_000);
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(dribble);

  const heldMs = Date.now() - started;
  expect(heldMs).toBeGreaterThanOrEqual(9_500);
  expect(heldMs).toBeLessThan(16_000);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
});
