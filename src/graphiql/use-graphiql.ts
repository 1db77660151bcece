import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import { TRACE_HEADER } from '../trace/use-upstream-trace.js';
import { loadGraphiQLAssets } from './assets.js';
import { representationOf, respondWith, type Representation } from './delivery.js';
import { renderGraphiQLPage } from './page.js';
import type { GraphiQLPageOptions } from './page-options.js';
import { graphiqlTabs } from './tabs.js';

/**
 * Serves GraphiQL from memory: the page at exactly the GraphQL endpoint to a
 * browser (a GET that accepts HTML, as Yoga's own GraphiQL), and its script,
 * stylesheet and workers under `<endpoint>/assets/`. The page is rendered and
 * compressed once, here; the assets were compressed by the build. So a view
 * costs a lookup and a copy to the socket, and anyone may ask for it before
 * any limit applies. Install it first: a page view needs no other plugin.
 */
export function useGraphiQLPage(config: GatewayConfig, { endpoint }: { endpoint: string }): Plugin {
  const assets = loadGraphiQLAssets();
  const assetsPath = `${endpoint}/assets/`;
  const page = representationOf(renderGraphiQLPage(pageOptions(config), assets.manifest, assetsPath), 'text/html; charset=utf-8', 'public, no-cache');
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET') return;
      const representation = routeOf(url.pathname, request);
      if (representation) endResponse(respondWith(representation, request, fetchAPI));
      else if (url.pathname.startsWith(assetsPath)) endResponse(new fetchAPI.Response('Not Found', { status: 404 }));
    },
  };

  function routeOf(pathname: string, request: Request): Representation | undefined {
    if (pathname === endpoint) {
      return request.headers.get('accept')?.includes('text/html') ? page : undefined;
    }
    return pathname.startsWith(assetsPath) ? assets.files.get(pathname.slice(assetsPath.length)) : undefined;
  }
}

/** When the operator allows the upstream trace, GraphiQL always asks for it and draws it. */
function pageOptions(config: GatewayConfig): Omit<GraphiQLPageOptions, 'workers'> {
  const traced = config.upstreamTrace !== 'off';
  return {
    title: 'Gateway',
    tabs: graphiqlTabs({ demoServices: config.demoServices, defaultQuery: config.graphiqlDefaultQuery }),
    headers: traced ? { [TRACE_HEADER]: '1' } : {},
    upstreamTrace: traced,
  };
}
