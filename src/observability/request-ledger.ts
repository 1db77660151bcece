import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
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
  /** Failed upstream calls by code, as the client saw them in `extensions.errors` (a call shared with another request included). */
  readonly failures: Partial<Record<UpstreamErrorCode, number>>;
  /** Entries of the top-level `errors` (invalid operations, gateway bugs). */
  graphqlErrors: number;
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
        failures: {},
        graphqlErrors: 0,
      };
      this.records.set(request, record);
    }
    return record;
  }

  observersFor(request: Request): readonly CallObserver[] {
    const record = this.of(request);
    const count: CallObserver = () => {
      record.upstreamCalls++;
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
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const operation = getOperationAST(args.document, args.operationName);
      if (!request || !operation) return;
      const record = ledger.of(request);
      record.operationName = operation.name?.value;
      record.operationType = operation.operation;
    },
    onResultProcess({ request, result }) {
      const record = ledger.of(request);
      for (const part of Array.isArray(result) ? result : [result]) {
        if (!part || typeof part !== 'object') continue;
        if ('errors' in part && Array.isArray(part.errors)) record.graphqlErrors += part.errors.length;
        const entries = (part as { extensions?: { errors?: unknown } }).extensions?.errors;
        if (Array.isArray(entries)) {
          for (const { code } of entries as Array<{ code: UpstreamErrorCode }>) record.failures[code] = (record.failures[code] ?? 0) + 1;
        }
      }
    },
  };
}
