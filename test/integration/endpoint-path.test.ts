import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';
import { totalCalls } from '../helpers/attacks.js';

/**
 * GraphQL runs at exactly `/graphql`. Yoga also ran queries at any path that
 * ends with it (`/graphql/`, `//graphql`, `/x/graphql`, even `/?a=/graphql`),
 * where the request log and the metrics, which look at `/graphql`, never saw
 * them. Every other path is a 404 before anything is parsed or called.
 */
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(() => gateway.close());

const QUERY = JSON.stringify({ query: '{ user(id: "1") { name } }' });

it.each(['/graphql/', '//graphql', '/x/graphql', '/?a=/graphql', '/graphql//'])('POST %s is a 404 and calls nothing', async (path) => {
  gateway.demo.resetStats();
  const answer = await rawRequest(gateway.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: QUERY });
  expect(answer.status).toBe(404);
  expect(answer.text).not.toContain('Grace');
  expect(totalCalls(gateway)).toBe(0);
});

it('GraphiQL is served at /graphql only', async () => {
  const browser = { accept: 'text/html' };
  expect((await rawRequest(gateway.url, { path: '//graphql', headers: browser })).status).toBe(404);
  expect((await rawRequest(gateway.url, { path: '/graphql/', headers: browser })).status).toBe(404);
  const page = await rawRequest(gateway.url, { path: '/graphql', headers: browser });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
});

it('/graphql itself, with or without a query string, still runs', async () => {
  const post = await rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
  expect(post.json.data.user.name).toEqual(expect.any(String));
  const get = await rawRequest(gateway.url, {
    path: `/graphql?query=${encodeURIComponent('{ user(id: "1") { name } }')}`,
    headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
  });
  expect(get.json.data.user.name).toEqual(expect.any(String));
});
