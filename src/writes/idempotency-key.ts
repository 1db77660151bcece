import { createHash, randomUUID } from 'node:crypto';

/**
 * A write's idempotency key: the client's, or one the gateway makes. It goes
 * upstream in a header, so it is plain printable ASCII; it never appears in a
 * log or a trace, only its hash does (the same key always hashes the same, so
 * an operator can match a log line to a key a client reports).
 */

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Why a client's key cannot be used, or `undefined` when it can. */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return `is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`;
  if (!PRINTABLE_ASCII.test(key)) return 'contains a character that is not printable ASCII';
  return undefined;
}

export function newIdempotencyKey(): string {
  return randomUUID();
}

/** `sha256:` and the first 16 hex digits of the key's SHA-256: enough to match, nothing to replay. */
export function idempotencyKeyHash(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
