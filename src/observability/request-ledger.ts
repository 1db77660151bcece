import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { requestIdOf } from '../context.js';
import type { UpstreamErrorCode } from '../errors/contract.js';
import type { CallObserver } from '../upstream/observe.js';

/** What one GraphQL request did, gathered while it runs, for its log line and its metrics. */
export interface RequestRecord {
  readonly requestId: string;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  operationName: string | undefined;
  operationType: string | undefined;
  upstreamCalls: number;
  /** Keys the cache answered without a call of this request (fresh, or stale while being refreshed). */
  cacheHits: number;
  /** Keys fetched because the cache could not serve them. */
  cacheMisses: number;
  /** Of those, keys whose call failed and that were served stale instead (`extensions.stale`). */
  cacheStale: number;
  /** Failed upstream calls by code, as the client saw them in `extensions.errors` (a call shared with another request included). */
  readonly failures: Partial<Record<UpstreamErrorCode, number>>;
  /** Entries of the top-level `errors` (invalid operations, gateway bugs). */
  graphqlErrors: number;
  /**
   * The client went away before (part of) the answer was ready. The calls cancelled for it then show up as failures
   * in that answer; they are not the upstreams' failures, so they are not counted in `failures`.
   */
  clientGone: boolean;
  /** Set once the last part has been sent (at once for a single result; at the end of a @defer/@stream stream). */
  done: boolean;
  /** The result is an incremental stream still being sent. */
  streaming: boolean;
  /** Run when `done` becomes true. */
  readonly onDone: Array<() => void>;
}

/**
 * One record per HTTP request, keyed by the Request object so that nothing
 * outlives it. The per-request observer it hands to the context counts that
 * request's upstream calls; extra watchers (debug logs) ride along.
 */
export class RequestLedger {
  private readonly records = new WeakMap<Request, RequestRecord>();

  constructor(private readonly extraObservers: (record: RequestRecord) => readonly CallObserver[] = () => []) {}

  of(request: Request): RequestRecord {
    let record = this.records.get(request);
    if (!record) {
      record = {
        requestId: requestIdOf(request),
        startedAt: performance.now(),
        operationName: undefined,
        operationType: undefined,
        upstreamCalls: 0,
        cacheHits: 0,
        cacheMisses: 0,
        cacheStale: 0,
        failures: {},
        graphqlErrors: 0,
        clientGone: false,
        done: false,
        streaming: false,
        onDone: [],
      };
      this.records.set(request, record);
    }
    return record;
  }

  /** Runs `fn` once the request's whole response has been produced (every part of an incremental one). */
  whenDone(request: Request, fn: (record: RequestRecord) => void): void {
    const record = this.of(request);
    if (record.done) fn(record);
    else record.onDone.push(() => fn(record));
  }

  observersFor(request: Request): readonly CallObserver[] {
    const record = this.of(request);
    const count: CallObserver = (start) => {
      if (start.cache === 'hit' || start.cache === 'revalidating') record.cacheHits += start.keys;
      else if (start.cache === 'stale') record.cacheStale += start.keys;
      else {
        record.upstreamCalls++;
        if (start.cache === 'miss') record.cacheMisses += start.keys;
      }
      return undefined;
    };
    return [count, ...this.extraObservers(record)];
  }
}

/** Starts each request's record on arrival and fills in what the operation turned out to be. */
export function useRequestLedger(ledger: RequestLedger): Plugin {
  return {
    onRequest({ request }) {
      ledger.of(request);
    },
    onParams({ request, params }) {
      // What the client asked for; the parsed document below has the last word.
      ledger.of(request).operationName = params.operationName ?? undefined;
    },
    onParse({ context }) {
      // A document that fails validation never reaches onExecute: its own operation name is still worth logging.
      const { request, params } = context as { request?: Request; params?: { operationName?: string | null } };
      return ({ result }) => {
        if (!request || !result || result instanceof Error || !('kind' in result)) return;
        const record = ledger.of(request);
        record.operationName ??= getOperationAST(result, params?.operationName)?.name?.value;
      };
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const operation = getOperationAST(args.document, args.operationName);
      if (!request || !operation) return;
      const record = ledger.of(request);
      record.operationName = operation.name?.value;
      record.operationType = operation.operation;
    },
    onResultProcess({ request, result, setResult }) {
      const record = ledger.of(request);
      if (isAsyncIterable(result)) {
        // Failures of deferred parts happen after the response started: count each part, finish at the end.
        record.streaming = true;
        setResult(countedParts(result, record, request.signal));
        return;
      }
      if (request.signal.aborted) record.clientGone = true;
      else for (const part of Array.isArray(result) ? result : [result]) countPart(part, record);
      finish(record);
    },
    onResponse({ request, response }) {
      // A request that never produced a result (refused before execution, GraphiQL, /metrics) is done now, and so is
      // one whose stream will never be read (406: the client accepts no incremental format).
      const record = ledger.of(request);
      if (!record.done && (!record.streaming || response.body === null)) finish(record);
    },
  };
}

async function* countedParts<T>(parts: AsyncIterable<T>, record: RequestRecord, signal: AbortSignal): AsyncGenerator<T> {
  try {
    for await (const part of parts) {
      // Parts produced after the client left report calls cancelled for it, not the upstreams' failures.
      if (signal.aborted) record.clientGone = true;
      else countPart(part, record);
      yield part;
    }
  } finally {
    finish(record);
  }
}

function countPart(part: unknown, record: RequestRecord): void {
  if (!part || typeof part !== 'object') return;
  const { errors, extensions, incremental } = part as {
    errors?: unknown;
    extensions?: { errors?: unknown };
    incremental?: Array<{ errors?: unknown; extensions?: { errors?: unknown } }>;
  };
  if (Array.isArray(errors)) record.graphqlErrors += errors.length;
  if (Array.isArray(extensions?.errors)) {
    for (const { code } of extensions.errors as Array<{ code: UpstreamErrorCode }>) record.failures[code] = (record.failures[code] ?? 0) + 1;
  }
  for (const item of incremental ?? []) countPart(item, record);
}

function finish(record: RequestRecord): void {
  if (record.done) return;
  record.done = true;
  for (const fn of record.onDone.splice(0)) fn();
}
