import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UNLUCKY_USER_ID } from '../../src/demo/data.js';
import { fetchDashboard } from '../../examples/client/dashboard.js';
import { renderDashboard } from '../../examples/client/render.js';
import { callCounts, startGateway, type TestGateway } from '../helpers/gateway.js';

/** What the client sent, in order: the real fetch, recording each request body. */
let sent: Array<Record<string, unknown>>;
const recordingFetch: typeof fetch = (input, init) => {
  sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
  return fetch(input, init);
};

/** The example client of examples/client, run against the gateway in front of the demo upstreams. */
describe('example client', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('renders a full dashboard with the generated types', async () => {
    sent = [];
    const result = await fetchDashboard('1', { endpoint: gw.url, fetch: recordingFetch });

    expect(result.extensions?.errors).toBeUndefined();
    expect(result.data?.dashboard.user?.name).toBe('Grace Lovelace');
    const lines = renderDashboard(result);
    expect(lines[0]).toBe('Grace Lovelace <grace.lovelace.1@example.com>');
    expect(lines).toContainEqual(expect.stringMatching(/^Orders \(\d+\):$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Notifications \(\d+ unread\):$/));
    expect(lines.join('\n')).not.toContain('unavailable');
  });

  it('sends the document id first, and the text only because this gateway keeps no persisted documents', async () => {
    sent = [];
    await fetchDashboard('1', { endpoint: gw.url, fetch: recordingFetch });

    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({ documentId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), variables: { userId: '1' } });
    expect(sent[1]).toEqual({ query: expect.stringContaining('query ClientDashboard('), variables: { userId: '1' } });
  });

  it('in trusted mode sends the id alone and never the text', async () => {
    sent = [];
    const result = await fetchDashboard('1', { endpoint: gw.url, fetch: recordingFetch, persisted: 'only' });

    expect(sent).toEqual([{ documentId: expect.stringMatching(/^sha256:/), variables: { userId: '1' } }]);
    // This gateway has no trusted-documents mode: it refuses the unknown parameter.
    expect(result.data).toBeUndefined();
    expect(renderDashboard(result)[0]).toMatch(/^The gateway could not run the query: .*documentId/);
  });

  it('renders a partial dashboard, explaining the failed section from the typed extensions.errors', async () => {
    const result = await fetchDashboard(DEMO_UNLUCKY_USER_ID, { endpoint: gw.url });

    expect(result.data?.dashboard.notifications).toBeNull();
    expect(result.extensions?.errors).toEqual([expect.objectContaining({ service: 'notifications', code: 'HTTP_ERROR', httpStatus: 503 })]);
    const lines = renderDashboard(result);
    expect(lines[0]).toBe('Murphy Law <murphy.law@example.com>');
    expect(lines).toContain('Orders (2):');
    expect(lines).toContain('Notifications: unavailable: notifications failed (HTTP 503), after 3 attempts');
  });

  it('explains a failure deep in the page (stock of one product) and keeps the rest', async () => {
    gw.demo.knobs.inventory.failStatus = 500;
    try {
      const result = await fetchDashboard('1', { endpoint: gw.url });
      const lines = renderDashboard(result);
      expect(lines.join('\n')).toMatch(/stock unavailable: inventory failed \(HTTP 500\)/);
      expect(lines[0]).toBe('Grace Lovelace <grace.lovelace.1@example.com>');
    } finally {
      gw.demo.knobs.inventory.failStatus = null;
    }
  });

  it('runs from the command line', { timeout: 30_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/client/main.ts', gw.url, DEMO_UNLUCKY_USER_ID]);
    expect(stdout).toContain('Murphy Law <murphy.law@example.com>');
    expect(stdout).toContain('Notifications: unavailable: notifications failed (HTTP 503)');
  });
});

/** The manifest codegen writes is the one the gateway's trusted-documents mode reads: the two ends meet. */
describe('example client against a gateway in trusted-documents mode', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({
      env: { PERSISTED_OPERATIONS: 'examples/client/gql/persisted-documents.json', ALLOW_ARBITRARY_OPERATIONS: 'false' },
    });
  });
  afterAll(() => gw.close());

  it('runs the dashboard by its hash alone', async () => {
    sent = [];
    const result = await fetchDashboard('1', { endpoint: gw.url, fetch: recordingFetch, persisted: 'only' });
    expect(sent).toEqual([{ documentId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), variables: { userId: '1' } }]);
    expect(result.errors).toBeUndefined();
    expect(result.data?.dashboard.user?.name).toBe('Grace Lovelace');
  });

  it('refuses a document that is not in the manifest', async () => {
    gw.demo.resetStats();
    const { status, body } = await gw.query(`{ user(id: "1") { name } }`);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(callCounts(gw.demo, ['users']).users).toBe(0);
  });
});
