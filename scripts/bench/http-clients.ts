/**
 * `node --import tsx scripts/bench/http-clients.ts`: CPU per upstream call of
 * got (as the gateway calls it, through its stream API; through its promise API
 * as the gateway called it before; and bare) against node:http, 32 concurrent
 * callers on one keep-alive agent and one loopback server (CPU of both sides).
 * It is the evidence in BENCHMARKS.md that the HTTP client bounds throughput, and
 * what each option of the gateway's call costs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { receive } from '../../src/upstream/receive.js';
const server = http.createServer((req, res) => { const b = '[{"id":"1","name":"Ada","email":"a@b.c"}]'; res.writeHead(200, { 'content-type': 'application/json', 'content-length': b.length }); res.end(b); });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const base = got.extend({ retry: { limit: 0 }, followRedirect: false, throwHttpErrors: false, responseType: 'text', decompress: true, headers: { accept: "application/json", "user-agent": "gw" } });
const client = base.extend({ prefixUrl: `http://127.0.0.1:${port}/`, agent: { http: agent } });
const nodecomp = base.extend({ prefixUrl: `http://127.0.0.1:${port}/`, agent: { http: agent }, decompress: false });
async function run(name: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 1000; i++) await fn();
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    await Promise.all(Array.from({ length: 32 }, async () => { for (let i = 0; i < 100; i++) await fn(); }));
    const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000 / 3200);
  }
  console.log(name.padEnd(34), 'cpu ms/call (client+server), best of 3:', best.toFixed(3));
}
// The options src/upstream/attempt.ts sends with: the path with its query already encoded, the call's headers and
// signal, the three timeouts; and the listeners for the reused-socket flag and the body limit.
const options = () => ({ headers: { 'x-request-id': 'abc' }, signal: new AbortController().signal, strictContentLength: true, timeout: { connect: 1000, response: 2000, request: 2000 } });
const full = (c: typeof client) => () => {
  const p = c.get('users?ids=1', options());
  p.on('request', () => {});
  p.on('downloadProgress', () => {});
  return p;
};
await run('got, as the gateway calls it (stream API)', () => receive(client, 'users?ids=1', options(), 1e7, () => {}));
await run('got promise API, same options', full(client));
await run('got promise API, query as searchParams', () => { const p = client.get('users', { ...options(), searchParams: { ids: '1' } }); p.on('request', () => {}); p.on('downloadProgress', () => {}); return p; });
await run('got, decompress off', full(nodecomp));
await run('got, no listeners', () => client.get('users', { searchParams: { ids: '1' }, headers: { 'x-request-id': 'abc' }, strictContentLength: true, timeout: { connect: 1000, response: 2000, request: 2000 } }));
await run('got, path with query, no timeouts', () => client.get('users?ids=1', { headers: { 'x-request-id': 'abc' } }));
await run('node http', () => new Promise((resolve) => http.get({ port, host: '127.0.0.1', path: '/users?ids=1', agent, headers: { 'x-request-id': 'abc' } }, (res) => { res.resume(); res.on('end', resolve); })));
server.close(); agent.destroy();
