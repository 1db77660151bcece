import type { YogaInitialContext } from 'graphql-yoga';
import { createContextFactory } from '../../src/context.js';
import type { TestGateway } from './gateway.js';

/** A request context of the gateway, as a mutation's resolver gets it: for calling `forget` as a write does. */
export function contextOf(gw: TestGateway) {
  const factory = createContextFactory(gw.config, gw.gateway.clients, undefined, gw.gateway.rows);
  return factory({ request: new Request('http://gateway/graphql', { method: 'POST' }) } as YogaInitialContext);
}

/** Polls `check` until it holds (or fails the test after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
