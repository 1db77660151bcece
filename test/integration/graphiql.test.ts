import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('GraphiQL', () => {
  it('is served to browsers at /graphql, self-contained (no CDN), opening on the dashboard query', async () => {
    const response = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('dashboard(userId:');
    // Offline: no script or stylesheet is fetched from another origin.
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
  });

  it('is off with GRAPHIQL=false', async () => {
    const off = await startGateway({ env: { GRAPHIQL: 'false' } });
    try {
      const response = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toContain('graphiql');
    } finally {
      await off.close();
    }
  });
});
