import { AbortError, ReadError, RequestError, TimeoutError } from 'got';
import type { UpstreamErrorCode } from './contract.js';

/**
 * What went wrong with one upstream attempt, in the codes of docs/failures.md.
 * Messages are written here from our own words only: the error
 * objects of got and Node carry URLs, hosts and ports, and never leave.
 */
export interface AttemptProblem {
  readonly code: UpstreamErrorCode;
  readonly message: string;
  readonly httpStatus?: number;
  /** Worth another attempt: the fault is likely transient and the call is idempotent. */
  readonly retryable: boolean;
  /** From a Retry-After header: the earliest useful retry, in ms from now. */
  readonly retryAfterMs?: number;
}

const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);

const NETWORK_PHRASES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'name not resolved',
  EAI_AGAIN: 'name not resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed',
};

export function classifyStatus(service: string, status: number, retryAfter?: string): AttemptProblem {
  const retryAfterMs = parseRetryAfter(retryAfter);
  return {
    code: 'HTTP_ERROR',
    message: `${service} answered HTTP ${status}`,
    httpStatus: status,
    retryable: RETRYABLE_STATUS.has(status),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

export function badResponse(service: string, what: string): AttemptProblem {
  return { code: 'BAD_RESPONSE', message: `${service} sent a bad response: ${what}`, retryable: false };
}

export function timedOut(service: string, withinMs: number): AttemptProblem {
  return { code: 'TIMEOUT', message: `${service} did not answer within ${withinMs} ms`, retryable: false };
}

/** A thrown error from got (or anything else) during one attempt. */
export function classifyRequestError(service: string, error: unknown, withinMs: number): AttemptProblem {
  if (error instanceof AbortError) {
    return { code: 'TIMEOUT', message: `${service} call was cancelled: the client went away`, retryable: false };
  }
  if (error instanceof TimeoutError) {
    // A connect timeout says nothing about the service's speed: another socket may do.
    if (error.event === 'connect' || error.event === 'lookup' || error.event === 'secureConnect') {
      return { code: 'UNREACHABLE', message: `${service} could not be reached (connect timed out)`, retryable: true };
    }
    return timedOut(service, withinMs);
  }
  const code = error instanceof RequestError ? error.code : (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH') return badResponse(service, 'truncated body');
  if (typeof code === 'string' && code in NETWORK_PHRASES) {
    return { code: 'UNREACHABLE', message: `${service} could not be reached (${NETWORK_PHRASES[code]})`, retryable: true };
  }
  if (error instanceof ReadError) return badResponse(service, 'body could not be read');
  return { code: 'UNREACHABLE', message: `${service} could not be reached (network error)`, retryable: true };
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
