import type { Plugin, YogaLogger } from 'graphql-yoga';
import { isOperationPath } from '../endpoints.js';
import type { Logger } from '../logger.js';
import type { BreakerListener } from '../upstream/circuit-breaker.js';
import { isAvoided, type CallObserver } from '../upstream/observe.js';
import type { RequestLedger, RequestRecord } from './request-ledger.js';

/**
 * One info line per GraphQL request, written when its response is complete:
 * request id, operation, status, duration, upstream calls and failures by
 * code, and the keys the cache served or missed. Never headers, variables or the query text: they may carry tokens.
 */
export function useRequestLog(logger: Logger, ledger: RequestLedger): Plugin {
  return {
    onResponse({ request, response }) {
      const url = new URL(request.url);
      if (!isOperationPath(url.pathname)) return;
      // Written once the whole response is produced, so a deferred part's failures are in the line too.
      ledger.whenDone(request, (record) => {
      // Not an operation (a GraphiQL page view, a CORS preflight): nothing to report, as in the metrics.
      if (record.operationType === undefined && record.graphqlErrors === 0) return;
      const failed = Object.values(record.failures).reduce((sum, count) => sum + count, 0);
      logger.info(
        {
          requestId: record.requestId,
          method: request.method,
          path: url.pathname,
          operationName: record.operationName ?? null,
          operationType: record.operationType ?? null,
          status: response.status,
          durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
          upstreamCalls: record.upstreamCalls,
          cacheHits: record.cacheHits,
          cacheMisses: record.cacheMisses,
          cacheStale: record.cacheStale,
          upstreamFailures: record.failures,
          graphqlErrors: record.graphqlErrors,
          clientGone: record.clientGone,
        },
        record.clientGone ? 'graphql request (client gone)' : failed > 0 ? 'graphql request (partial)' : 'graphql request',
      );
      });
    },
  };
}

/**
 * Lines per upstream call (and per failed attempt that is retried), tied to
 * the request id. A write's are at info: it changes data, and writes are few.
 * A read's are at debug, and cost nothing unless the level is debug or lower.
 * Bounded fields only: the route template, never the ids, the URL or an
 * idempotency key (its hash only).
 */
export function upstreamCallLog(logger: Logger): (record: RequestRecord) => readonly CallObserver[] {
  const reads = logger.isLevelEnabled('debug');
  if (!logger.isLevelEnabled('info')) return () => [];
  return (record) => [
    (start) => {
      const { service, route, method, keys, batch, idempotencyKeyHash } = start;
      const write = method !== 'GET';
      if (!write && !reads) return undefined;
      const log = (fields: object, message: string) => (write ? logger.info(fields, message) : logger.debug(fields, message));
      // `upstream`, not `service`: the logger's base fields already name this process as the `service`.
      const call = { requestId: record.requestId, upstream: service, method, route, batch, batchSize: keys, ...(idempotencyKeyHash ? { idempotencyKeyHash } : {}) };
      if (isAvoided(start)) {
        log({ ...call, cache: start.cache }, 'upstream call answered by the cache');
        return undefined;
      }
      return {
        attemptEnded({ attempt, durationMs, status, code }) {
          if (code) log({ ...call, attempt, status: status ?? null, code, durationMs }, 'upstream attempt failed');
        },
        ended({ attempts, durationMs, status, outcome }) {
          log({ ...call, attempts, status: status ?? null, outcome, durationMs }, write ? 'upstream write' : 'upstream call');
        },
      };
    },
  ];
}

/** A breaker changing state is news for whoever is on call: it decides whether a service is called at all. */
export function breakerLog(logger: Logger, upstream: string): BreakerListener {
  return {
    // A failed probe re-opens it: worth a line, not another alarm, once per cool-down for as long as it lasts.
    opened: ({ cooldownMs, trips }) =>
      trips === 1
        ? logger.warn({ upstream, cooldownMs, trips }, 'circuit opened: calls fail at once until a probe succeeds')
        : logger.info({ upstream, cooldownMs, trips }, 'circuit stays open: the probe failed'),
    closed: () => logger.info({ upstream }, 'circuit closed: calls go out again'),
  };
}

/** Yoga's own messages (warnings, chatter) as structured lines of the same logger. */
export function yogaLogger(logger: Logger): YogaLogger {
  const write = (level: 'trace' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    const message = args.filter((arg) => typeof arg === 'string').join(' ') || error?.message || 'yoga';
    logger[level](error ? { err: error } : {}, message);
  };
  const error = write('error');
  return {
    // Yoga's debug chatter ("Parsing request...") goes to trace, so debug shows the gateway's own lines.
    debug: write('trace'),
    info: write('info'),
    warn: write('warn'),
    // A lone error is the original of one Yoga has just masked: error-masking.ts logs it under its request id
    // when the answer goes out, so logging it here too would count every bug twice, once with no request id.
    error: (...args: unknown[]) => (args.length === 1 && args[0] instanceof Error ? undefined : error(...args)),
  };
}
