import { randomUUID } from 'node:crypto';
import type { YogaInitialContext } from 'graphql-yoga';
import type { GatewayConfig } from './config.js';
import type { Write } from './services/define.js';
import { READS, type ReadName, type ServiceName } from './services/index.js';
import type { RowCache } from './cache/row-cache.js';
import { StaleAnswers } from './cache/stale.js';
import { FailureCollector } from './errors/collector.js';
import { createLoaders, type Loaders, type ServiceClients } from './loaders/index.js';
import { clientQueueKey } from './security/client-identity.js';
import { upstreamHeaders } from './security/forward-headers.js';
import type { CallObserver } from './upstream/observe.js';
import type { CallOptions } from './upstream/call.js';
import type { WriteResult } from './writes/refusal.js';
import type { WritesInFlight } from './writes/in-flight.js';
import { sendWrite, type WriteAnswer, type WriteRequest } from './writes/send-write.js';

/** What the gateway adds to Yoga's context. Built fresh for every request. */
export interface RequestState {
  readonly requestId: string;
  readonly loaders: Loaders;
  readonly failures: FailureCollector;
  /** Data served from the cache instead of a failed call, and the paths that show it (`extensions.stale`). */
  readonly stale: StaleAnswers;
  readonly maxIdsPerList: number;
  /** Watchers of this request's upstream calls only; plugins add theirs before execution starts. */
  readonly upstreamObservers: CallObserver[];
  /**
   * After a write: forgets what is known of these keys of a read, so that the
   * reads that follow (in this request's payload, or in later requests) see the
   * write: this request's loader entries, and the cached rows of every
   * audience in every process sharing the cache (and, through it, the calls
   * to that service in flight: no later read joins them). Resolves once
   * forgotten; a write answers only after that.
   */
  forget(read: ReadName, keys: readonly string[]): Promise<void>;
  /**
   * Sends one write (docs/writes.md) and forgets what it changed before
   * resolving. Resolves to the upstream's answer or its refusal of the input;
   * an upstream failure is thrown, as a loader's is.
   */
  write<W extends Write>(write: W, request: WriteRequest<W>): Promise<WriteResult<WriteAnswer<W>>>;
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

/** A client may ask for a shorter budget than the operator's (`x-request-timeout-ms`), never a longer one. */
function requestBudgetMs(request: Request, maxMs: number): number {
  const asked = request.headers.get('x-request-timeout-ms');
  if (!asked || !/^\d{1,9}$/.test(asked.trim())) return maxMs;
  return Math.max(1, Math.min(maxMs, Number(asked.trim())));
}

export function createContextFactory(
  config: GatewayConfig,
  clients: ServiceClients,
  /** Watchers of this request's upstream calls only (its log line, debug lines). */
  requestObservers?: (request: Request) => readonly CallObserver[],
  /** The rows kept between requests; without it, every read goes upstream. */
  rows?: RowCache,
  /** Where the writes being sent are tracked, so that shutdown lets them finish. */
  writes?: WritesInFlight,
) {
  return (initial: YogaInitialContext): RequestState => {
    const requestId = requestIdOf(initial.request);
    // Plugins (e.g. the upstream trace) may add theirs before execution starts.
    const upstreamObservers: CallObserver[] = requestObservers ? [...requestObservers(initial.request)] : [];
    const budgetMs = requestBudgetMs(initial.request, config.requestTimeoutMs);
    const deadline = Date.now() + budgetMs;
    // One header map per service: each upstream sees only the client headers allowed for it.
    const headersFor = upstreamHeaders(initial.request, config.services, requestId);
    const callFor = (service: ServiceName): CallOptions => {
      const headers = headersFor(service);
      const forwarded = config.services[service].forwardHeaders.map((name) => headers[name] ?? '');
      return {
        deadline,
        clientShortened: budgetMs < config.requestTimeoutMs,
        signal: initial.request.signal,
        headers,
        observers: upstreamObservers,
        // Requests share an in-flight call (and private cached rows) only when they forward the same credentials.
        shareKey: forwarded.some(Boolean) ? forwarded.join('\n') : '',
        queueKey: clientQueueKey(initial, forwarded),
      };
    };
    const stale = new StaleAnswers();
    const loaders = createLoaders(clients, callFor, rows && { rows, stale });
    const state: RequestState = {
      requestId,
      loaders,
      failures: new FailureCollector(),
      stale,
      maxIdsPerList: config.maxIdsPerList,
      upstreamObservers,
      async forget(read, keys) {
        const loader = loaders[read];
        for (const key of keys) loader.clear(key);
        await rows?.forget(READS[read], keys);
      },
      write: (write, request) => {
        const sent = sendWrite(clients[write.service as ServiceName], callFor(write.service as ServiceName), write, request, state.forget);
        return writes ? writes.track(sent) : sent;
      },
    };
    return state;
  };
}
