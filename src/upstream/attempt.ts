import type { Got } from 'got';
import { badResponse, classifyRequestError, classifyStatus, type AttemptProblem } from '../errors/classify.js';
import { NOT_FOUND, ShapeError, type Route } from './call.js';

/**
 * One HTTP attempt of an upstream call, judged: a parsed value, NOT_FOUND, or
 * the problem in the codes of docs/failures.md. The caller (the service client)
 * decides about retries, breakers and deadlines; this only sends and reads.
 */
export interface AttemptSpec<T> {
  readonly service: string;
  readonly got: Got;
  readonly route: Route;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
  /** Limit of this attempt, body included. */
  readonly remainingMs: number;
  /** The call's whole budget: the number a TIMEOUT message names. */
  readonly budgetMs: number;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly parse: (body: unknown) => T;
}

export type AttemptResult<T> = (
  | { readonly ok: true; readonly value: T | typeof NOT_FOUND; readonly cacheControl?: string; readonly etag?: string }
  | { readonly ok: false; readonly problem: AttemptProblem; readonly onReusedSocket: boolean }
) & { readonly status?: number };

export async function sendAttempt<T>(spec: AttemptSpec<T>): Promise<AttemptResult<T>> {
  const { service, remainingMs, maxResponseBytes } = spec;
  let onReusedSocket = false;
  let tooLarge = false;
  let status: number | undefined;
  const fail = (problem: AttemptProblem): AttemptResult<T> => ({ ok: false, problem, onReusedSocket, ...(status === undefined ? {} : { status }) });
  let response;
  try {
    const pending = spec.got.get(spec.route.path, {
      searchParams: spec.route.searchParams,
      headers: spec.headers,
      signal: spec.signal,
      strictContentLength: true,
      // Connect, first byte (headers) and the whole attempt, body included (a drip is cut too). The attempt may use
      // what is left of the call's deadline, so a stalled attempt leaves no time to retry.
      timeout: { connect: Math.min(remainingMs, spec.connectTimeoutMs), response: remainingMs, request: remainingMs },
    });
    pending.on('request', (request) => (onReusedSocket = request.reusedSocket));
    // Checked as the body streams in (and against Content-Length up front), so a huge body is never buffered.
    pending.on('downloadProgress', ({ transferred, total }) => {
      if (transferred > maxResponseBytes || (total !== undefined && total > maxResponseBytes)) {
        tooLarge = true;
        pending.cancel();
      }
    });
    response = await pending;
  } catch (error) {
    if (tooLarge) return fail(badResponse(service, `body larger than ${maxResponseBytes} bytes`));
    return fail(classifyRequestError(service, error, spec.budgetMs));
  }
  status = response.statusCode;
  const validators = { cacheControl: response.headers['cache-control'], etag: response.headers.etag };
  if (status === 404 && spec.route.notFoundIsNull) return { ok: true, value: NOT_FOUND, status, ...validators };
  if (status < 200 || status >= 300) return fail(classifyStatus(service, status, response.headers['retry-after']));
  const contentType = response.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) return fail(badResponse(service, 'not JSON (content type)'));
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
