/**
 * An upstream's refusal of a write's input: a 4xx with a reason, which the
 * client gets as a `userErrors` entry rather than a failure. 409 and 422 are
 * refusals whatever their body; another 4xx is one only when its body gives a
 * reason (`{"error": "…"}`), since a bare 404 or 405 says more about the
 * gateway's configuration than about the input. 408 and 429 are neither:
 * they are retried, and reported as failures if they last.
 */
export interface Refusal {
  /** IDEMPOTENCY_KEY_REUSED, INVALID_INPUT, CONFLICT, NOT_FOUND or REFUSED. */
  readonly code: string;
  readonly message: string;
  /** The input field it names (the body's `field`), when that is a plain field name. */
  readonly field?: string;
}

/** What a write resolves to: the upstream's answer, or its refusal of the input. */
export type WriteResult<Answer> = { readonly value: Answer } | { readonly refusal: Refusal };

const CODES: Readonly<Record<number, string>> = { 400: 'INVALID_INPUT', 404: 'NOT_FOUND', 409: 'CONFLICT', 422: 'INVALID_INPUT' };

// An upstream's own words reach the client only as one short line of text: no markup, no URL, no control character.
const PLAIN_REASON = /^(?!.*:\/\/)[^\p{C}<>]{1,200}$/u;
const FIELD_NAME = /^[A-Za-z_]\w{0,63}$/;

/**
 * The refusal a 4xx answer stands for, or `undefined` when it is a failure.
 * `keyed`: the write carried an idempotency key, so a 409 means that key was
 * already used with other input.
 */
export function readRefusal(service: string, status: number, body: unknown, keyed: boolean): Refusal | undefined {
  if (status === 408 || status === 429) return undefined;
  const { error, field } = (body !== null && typeof body === 'object' ? body : {}) as { error?: unknown; field?: unknown };
  const reason = typeof error === 'string' && PLAIN_REASON.test(error.trim()) ? error.trim() : undefined;
  if (reason === undefined && status !== 409 && status !== 422) return undefined;
  const code = status === 409 && keyed ? 'IDEMPOTENCY_KEY_REUSED' : (CODES[status] ?? 'REFUSED');
  return {
    code,
    message: reason ?? defaultMessage(code, service, status),
    ...(typeof field === 'string' && FIELD_NAME.test(field) ? { field } : {}),
  };
}

function defaultMessage(code: string, service: string, status: number): string {
  if (code === 'IDEMPOTENCY_KEY_REUSED') return 'this idempotencyKey was already used with other input: use a new key for a new request';
  return `${service} refused the input (HTTP ${status})`;
}
