import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeServices, compositionHasErrors, type CompositionResult } from '@theguild/federation-composition';
import { createDemoData, DEMO_PRODUCT_COUNT, type DemoData } from '../../src/demo/data.js';
import { SUBGRAPH_PATH } from '../../src/endpoints.js';
import { SUBGRAPH_FILE } from '../../src/schema/print.js';
import { startGateway, type GraphQLAnswer, type TestGateway, type TestGatewayOptions } from './gateway.js';
import { OFFERS_SDL, startOffersSubgraph, type OffersSubgraph } from './offers-subgraph.js';
import { startRouter, type Router } from './router.js';

/** Subgraph names in the supergraph: what a router calls them in its errors (`serviceName`) and plans. */
export const GATEWAY_SUBGRAPH = 'gateway';
export const OFFERS_SUBGRAPH = 'offers';

/** Our committed subgraph SDL composed with the offers subgraph, each at its URL. */
export function composeWithOffers(urls: { readonly gateway: string; readonly offers: string }): CompositionResult {
  return composeServices([
    { name: GATEWAY_SUBGRAPH, typeDefs: parse(readFileSync(SUBGRAPH_FILE, 'utf8')), url: urls.gateway },
    { name: OFFERS_SUBGRAPH, typeDefs: parse(OFFERS_SDL), url: urls.offers },
  ]);
}

/** The demo data with products up to `count` (the demo has 40), so offers can reference more distinct products. */
export function demoDataWithProducts(count: number): DemoData {
  const data = createDemoData();
  const products = new Map(data.productById);
  for (let i = DEMO_PRODUCT_COUNT + 1; i <= count; i++) products.set(`p${i}`, { id: `p${i}`, name: `Extra item ${i}`, price: i });
  return { ...data, productById: products };
}

export interface Supergraph {
  /** This gateway (FEDERATION=true) on the demo upstreams: the "gateway" subgraph. */
  readonly gateway: TestGateway;
  readonly offers: OffersSubgraph;
  readonly router: Router;
  /** A query to the router, as its clients send one. */
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  close(): Promise<void>;
}

/** The gateway and the offers subgraph on loopback, composed, behind a real Hive Gateway. */
export async function startSupergraph(options: TestGatewayOptions = {}): Promise<Supergraph> {
  const gateway = await startGateway({ ...options, env: { FEDERATION: 'true', ...options.env } });
  const offers = await startOffersSubgraph();
  const router = await routerFor(gateway, offers).catch(async (error: unknown) => {
    await Promise.all([gateway.close(), offers.close()]);
    throw error;
  });
  const { url } = router;
  return {
    gateway,
    offers,
    router,
    async query(query, variables) {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body: unknown = await response.json();
      return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
    },
    async close() {
      await router.close();
      await Promise.all([gateway.close(), offers.close()]);
    },
  };
}

async function routerFor(gateway: TestGateway, offers: OffersSubgraph): Promise<Router> {
  const composed = composeWithOffers({ gateway: new URL(SUBGRAPH_PATH, gateway.url).href, offers: offers.url });
  if (compositionHasErrors(composed)) throw new Error(`composition failed: ${composed.errors.map((error) => error.message).join('; ')}`);
  return startRouter(composed.supergraphSdl);
}
