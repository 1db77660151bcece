import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * A person opening GraphiQL with no internet: Debian's Chromium, headless,
 * with every request that is not for loopback refused. It runs the default
 * tab's query and the result panel must show the dashboard.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-output/graphiql.png';

describe('GraphiQL in a browser with no internet', () => {
  let gw: TestGateway;
  let context: BrowserContext;
  let profile: string;
  const refused: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    gw = await startGateway();
    profile = mkdtempSync(path.join(tmpdir(), 'graphiql-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Names other than loopback do not resolve, whatever the page asks for.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        refused.push(url.href);
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await gw?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('runs the default query and shows the dashboard in the result panel', { timeout: 90_000 }, async () => {
    const page = await context.newPage();
    await page.goto(gw.url, { waitUntil: 'load', timeout: 60_000 });

    await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 30_000 }).toBe(4);
    await page.locator('.graphiql-execute-button').click();

    // Monaco draws spaces as no-break spaces.
    const resultText = async () => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
    await expect.poll(resultText, { timeout: 30_000 }).toContain('Grace Lovelace');
    const text = await resultText();
    expect(text).toContain('"dashboard"');
    expect(text).toContain('grace.lovelace.1@example.com');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(refused).toEqual([]);
  });
});
