import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { NESTED_50_USERS } from '../helpers/graphiql-page.js';

/**
 * A person opening GraphiQL with no internet: Debian's Chromium, headless,
 * with every request refused that is not for the gateway itself. They run
 * the dashboard, the nested 50-user query and the @defer tab, and the
 * "Upstream calls" panel draws each REST call as a bar.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-output';
const FIVE_SERVICES = ['inventory', 'notifications', 'orders', 'products', 'users'];

interface DrawnBar {
  readonly part: string;
  readonly service: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly failed: boolean;
  readonly label: string;
}

describe('GraphiQL in a browser with no internet', () => {
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const refused: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    gw = await startGateway();
    const gateway = new URL(gw.url).origin;
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
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== gateway) {
        refused.push(url.href);
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(gw.url, { waitUntil: 'load', timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await gw?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('the dashboard: the result, and one bar per service in the "Upstream calls" panel, opened at once', { timeout: 60_000 }, async () => {
    await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 30_000 }).toBe(5);
    const bars = await runAndDraw(page, 'Grace Lovelace', 5);
    expect((await responseText(page))).toContain('grace.lovelace.1@example.com');
    expect(bars.map((bar) => bar.service).sort()).toEqual(FIVE_SERVICES);
    expect(new Set(bars.map((bar) => bar.part))).toEqual(new Set(['Response']));
    expect(bars.some((bar) => bar.failed)).toBe(false);
    await screenshot(page, 'graphiql-dashboard');
  });

  it('the nested 50-user query: five bars in two waves, products and inventory after the orders that name them', { timeout: 60_000 }, async () => {
    await replaceQuery(page, NESTED_50_USERS);
    const bars = await runAndDraw(page, '"users"', 5);
    expect(bars.map((bar) => bar.service).sort()).toEqual(FIVE_SERVICES);
    const of = (service: string) => bars.find((bar) => bar.service === service)!;
    expect(of('users').label).toContain('50 keys');
    for (const second of ['products', 'inventory']) {
      expect(of(second).startMs).toBeGreaterThanOrEqual(of('orders').endMs - 1); // whole milliseconds
      for (const first of ['users', 'orders', 'notifications']) expect(of(second).startMs).toBeGreaterThan(of(first).startMs);
    }
    await screenshot(page, 'graphiql-nested-50-users');
  });

  it('the @defer tab: the deferred part drawn as a group of its own', { timeout: 60_000 }, async () => {
    await page.locator('.graphiql-tab').nth(2).click();
    const bars = await runAndDraw(page, '"notifications"', 3);
    expect(bars.map((bar) => [bar.part, bar.service]).sort()).toEqual([
      ['@defer "notifications" at dashboard', 'notifications'],
      ['Response', 'orders'],
      ['Response', 'users'],
    ]);
    await screenshot(page, 'graphiql-defer');
    expect(refused).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Runs the active tab and waits until its result shows `expected` and the panel has drawn `count` bars. */
async function runAndDraw(page: Page, expected: string, count: number): Promise<DrawnBar[]> {
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain(expected);
  await expect.poll(() => page.locator('.upstream-calls[data-status="done"] .upstream-call').count(), { timeout: 30_000 }).toBe(count);
  return page.locator('.upstream-call').evaluateAll((elements) =>
    elements.map((element) => ({
      part: element.closest('.upstream-calls-part')!.getAttribute('data-part')!,
      service: element.getAttribute('data-service')!,
      startMs: Number(element.getAttribute('data-start-ms')),
      endMs: Number(element.getAttribute('data-end-ms')),
      failed: element.hasAttribute('data-failed'),
      label: element.textContent ?? '',
    })),
  );
}

async function responseText(page: Page): Promise<string> {
  // Monaco draws spaces as no-break spaces.
  return (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
}

/** Pastes over the operation editor's text, as a person would (typed, Monaco would add closing brackets of its own). */
async function replaceQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor');
  const textarea = editor.locator('textarea');
  const shown = async () => (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').trim();
  // Emptied first, and seen empty: a paste while the old text is still there would make a document of two operations.
  await expect
    .poll(
      async () => {
        await editor.locator('.monaco-editor').click();
        await textarea.focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        return shown();
      },
      { timeout: 30_000 },
    )
    .toBe('');
  await textarea.evaluate((element, text) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', text);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, query);
  await expect.poll(shown, { timeout: 10_000 }).toContain(query.trim().split('\n')[0]!.trim());
  // GraphiQL learns the new operation's name a moment after the edit (it stores it with the tab); run before that
  // and it sends the old tab's name with the new document.
  await expect.poll(() => page.evaluate(storedActiveTab), { timeout: 10_000 }).toEqual({ query, operationName: null });
}

/** The active tab as GraphiQL stores it in the browser: its text and the operation name it will send. */
function storedActiveTab(): { query: string; operationName: string | null } | undefined {
  const key = Object.keys(localStorage).find((name) => name.endsWith('tabState'));
  const state = key ? (JSON.parse(localStorage.getItem(key)!) as { activeTabIndex: number; tabs: Array<{ query: string; operationName: string | null }> }) : undefined;
  const tab = state?.tabs[state.activeTabIndex];
  return tab && { query: tab.query, operationName: tab.operationName };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
