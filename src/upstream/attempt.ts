import { RequestError, type Got } from 'got';
import { badResponse, classifyRequestError, classifyStatus, type AttemptProblem } from '../errors/classify.js';
import { NOT_FOUND, ShapeError, type Route } from './call.js';
import { BodyTooLarge, receive, type Received } from './receive.js';

/**
 * One HTTP attempt of an upstream call, judged: a parsed value, NOT_FOUND, or
 * the problem in the codes of docs/failures.md. The caller (the service client)
 * decides about retries, breakers and deadlines; this only sends and reads.
 */
export interface AttemptSpec<T> {
  readonly service: string;
  readonly got: Got;
  readonly route: Route;
  /** The route's path and query (routeTarget). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
  /** Limit of this attempt, body included. */
  readonly remainingMs: number;
  /** The call's whole budget: the number a TIMEOUT message names. */
  readonly budgetMs: number;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly parse: (body: unknown) => T;
  /** Writes only: a 4xx answer as a refusal value, or `undefined` for an HTTP_ERROR. */
  readonly refusal?: (status: number, body: unknown) => T | undefined;
}

export type AttemptResult<T> = (
  | { readonly ok: true; readonly value: T | typeof NOT_FOUND; readonly refused?: boolean; readonly cacheControl?: string; readonly etag?: string }
  | {
      readonly ok: false;
      readonly problem: AttemptProblem;
      readonly onReusedSocket: boolean;
      /** Some byte of the request may have reached the upstream (false only when it surely did not). */
      readonly sent: boolean;
    }
) & { readonly status?: number };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

export async function sendAttempt<T>(spec: AttemptSpec<T>): Promise<AttemptResult<T>> {
  const { service, remainingMs, maxResponseBytes } = spec;
  let onReusedSocket = false;
  let status: number | undefined;
  const fail = (problem: AttemptProblem, sent = true): AttemptResult<T> => ({
    ok: false,
    problem,
    onReusedSocket,
    sent,
    ...(status === undefined ? {} : { status }),
  });
  let response: Received;
  try {
    const options = {
      method: spec.route.method ?? 'GET',
      ...(spec.route.json === undefined ? {} : { json: spec.route.json }),
      headers: spec.headers,
      signal: spec.signal,
      strictContentLength: true,
      // Connect, first byte (headers) and the whole attempt, body included (a drip is cut too). The attempt may use
      // what is left of the call's deadline, so a stalled attempt leaves no time to retry.
      timeout: { connect: Math.min(remainingMs, spec.connectTimeoutMs), response: remainingMs, request: remainingMs },
    } as const;
    response = await receive(spec.got, spec.target, options, maxResponseBytes, (reused) => (onReusedSocket = reused));
  } catch (error) {
    if (error instanceof BodyTooLarge) return fail(badResponse(service, `body larger than ${maxResponseBytes} bytes`));
    return fail(classifyRequestError(service, error, spec.budgetMs), mayHaveBeenSent(error));
  }
  status = response.statusCode;
  const validators = { cacheControl: response.headers['cache-control'], etag: response.headers.etag };
  if (status === 404 && spec.route.notFoundIsNull) return { ok: true, value: NOT_FOUND, status, ...validators };
  const refused = spec.refusal && status >= 400 && status < 500 ? spec.refusal(status, jsonOrUndefined(response)) : undefined;
  if (refused !== undefined) return { ok: true, value: refused, refused: true, status };
  if (status < 200 || status >= 300) return fail(classifyStatus(service, status, response.headers['retry-after']));
  const contentType = response.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(contentType)) return fail(badResponse(service, 'not JSON (content type)'));
  let body: unknown;
  try {
    // A `__proto__` key becomes an own property here, and the shape check copies only documented fields.
    body = JSON.parse(response.body);
  } catch {
    return fail(badResponse(service, 'not valid JSON'));
  }
  try {
    return { ok: true, value: spec.parse(body), status, ...validators };
  } catch (error) {
    if (error instanceof ShapeError) return fail(badResponse(service, error.message));
    throw error;
  }
}

/**
 * Whether any byte of the request may have left for the upstream. Node writes
 * a request onto its socket as soon as the socket is connected (a pooled
 * socket already is), and got stamps `timings.connect` at that moment; so a
 * failure with no `connect` time (refused, connect timeout, DNS failure, or a
 * pooled socket already destroyed when handed out) sent nothing. A pooled
 * socket the upstream closed while the request was being written fails after
 * the write: sent, though the upstream never read it.
 */
function mayHaveBeenSent(error: unknown): boolean {
  return !(error instanceof RequestError) || error.timings?.connect !== undefined;
}

/** A refusal's body, when it is JSON; it is read only for its documented fields, never passed on. */
function jsonOrUndefined(response: Received): unknown {
  if (!JSON_TYPE.test(String(response.headers['content-type'] ?? ''))) return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}
