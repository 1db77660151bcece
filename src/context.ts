import { randomUUID } from 'node:crypto';
import type { YogaInitialContext } from 'graphql-yoga';
import type { GatewayConfig } from './config.js';
import { FailureCollector } from './errors/collector.js';
import { createLoaders, type Loaders, type ServiceClients } from './loaders/index.js';
import type { CallObserver } from './upstream/observe.js';

/** What the gateway adds to Yoga's context. Built fresh for every request. */
export interface RequestState {
  readonly requestId: string;
  readonly loaders: Loaders;
  readonly failures: FailureCollector;
  readonly maxIdsPerList: number;
}

/** Everything a resolver may use. */
export type GatewayContext = YogaInitialContext & RequestState;

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * The request's id: the client's `x-request-id` when it is a plain token, a
 * fresh UUID otherwise. Memoised so the context, the logs and the response
 * header all see the same one.
 */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

export function createContextFactory(
  config: GatewayConfig,
  clients: ServiceClients,
  /** Watchers of this request's upstream calls only (its log line, debug lines). */
  requestObservers?: (request: Request) => readonly CallObserver[],
) {
  return (initial: YogaInitialContext): RequestState => {
    const requestId = requestIdOf(initial.request);
    const call = {
      deadline: Date.now() + config.requestTimeoutMs,
      signal: initial.request.signal,
      headers: { 'x-request-id': requestId },
      ...(requestObservers ? { observers: requestObservers(initial.request) } : {}),
    };
    return {
      requestId,
      loaders: createLoaders(clients, call),
      failures: new FailureCollector(),
      maxIdsPerList: config.maxIdsPerList,
    };
  };
}
