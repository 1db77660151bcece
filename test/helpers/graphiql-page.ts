import http from 'node:http';
import { OPTIONS_ELEMENT_ID, type GraphiQLPageOptions } from '../../src/graphiql/page-options.js';

export interface PageAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The bytes on the wire, before any decoding. */
  readonly body: Buffer;
}

/** A browser's GET (of the page, or of one of its assets), with node:http so that compressed bytes can be counted as sent. */
export function getPage(url: string, headers: Record<string, string> = {}): Promise<PageAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { accept: 'text/html,application/xhtml+xml', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** The options the server put in the page (uncompressed HTML). */
export function pageOptionsOf(html: string): GraphiQLPageOptions {
  const found = new RegExp(`<script id="${OPTIONS_ELEMENT_ID}" type="application/json">(.*?)</script>`, 's').exec(html);
  if (!found) throw new Error('no GraphiQL options in the page');
  return JSON.parse(found[1]!) as GraphiQLPageOptions;
}

/** The page's tabs, as a browser gets them. */
export async function graphiqlTabsAt(url: string): Promise<readonly string[]> {
  const page = await getPage(url);
  if (page.status !== 200) throw new Error(`GraphiQL page: HTTP ${page.status}`);
  return pageOptionsOf(page.body.toString()).tabs;
}

/** The README's nested query over 50 users, with its ids inline so that it runs from GraphiQL's editor alone. */
export const NESTED_50_USERS = `{ users(ids: [${Array.from({ length: 50 }, (_, i) => `"${i + 1}"`).join(', ')}]) { name orders { id product { name stock { available } } } notifications { id } } }`;
