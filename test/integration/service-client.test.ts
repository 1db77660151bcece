import { afterEach, expect, it } from 'vitest';
import { loadConfig, withUpstreamUrls } from '../../src/config.js';
import { SERVICE_NAMES } from '../../src/services/index.js';
import { isUpstreamFailure } from '../../src/errors/upstream-failure.js';
import type { Route } from '../../src/upstream/call.js';
import { createUpstreamHttp, type UpstreamHttp } from '../../src/upstream/http.js';
import { ServiceClient } from '../../src/upstream/service-client.js';
import { sendJson, startUpstream, type TestUpstream } from '../helpers/upstream.js';

let upstream: TestUpstream | undefined;
let http: UpstreamHttp | undefined;
afterEach(async () => {
  http?.close();
  await upstream?.close();
});

const ROUTE: Route = { template: '/users/{key}', path: 'users/1', notFoundIsNull: true, keys: 1, batch: false };
const row = (body: unknown) => body;

it('a gateway bug thrown while the breaker probes does not leave it half-open for good', async () => {
  let healthy = false;
  upstream = await startUpstream((_request, response) => sendJson(response, healthy ? 200 : 503, { id: '1' }));
  const env = { USERS_BREAKER_FAILURES: '1', USERS_BREAKER_COOLDOWN_MS: '50', USERS_RETRIES: '0', USERS_DEDUPE: 'false' };
  const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, upstream!.url]));
  const config = withUpstreamUrls(loadConfig(env), urls);
  http = createUpstreamHttp(config, config.services.users);
  const client = new ServiceClient(config.services.users, http);
  const call = () => ({ deadline: Date.now() + 2000, headers: {} });

  await expect(client.get(ROUTE, call(), row)).rejects.toSatisfy(isUpstreamFailure); // 503: the breaker opens
  expect(client.breakerState).toBe('open');
  healthy = true;
  await new Promise((resolve) => setTimeout(resolve, 50 * 1.2 + 30));

  // The probe reaches the upstream, and then the gateway's own parser throws: not the upstream's fault.
  const bug = new TypeError('a bug in a parser');
  await expect(
    client.get(ROUTE, call(), () => {
      throw bug;
    }),
  ).rejects.toBe(bug);
  // The next call is let through as the probe, succeeds, and closes the breaker.
  await expect(client.get(ROUTE, call(), row)).resolves.toMatchObject({ value: { id: '1' }, attempts: 1 });
  expect(client.breakerState).toBe('closed');
  expect(upstream.hits).toHaveLength(3);
});
