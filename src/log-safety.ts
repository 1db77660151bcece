import { pino } from 'pino';

/** Longest string one field of a log line carries; a longer one is cut, saying by how much. */
export const MAX_LOGGED_CHARS = 1024;

/** Longest stack trace logged. */
const MAX_LOGGED_STACK_CHARS = 8192;

export function capped(text: string, max = MAX_LOGGED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more]`;
}

/**
 * A log line's own fields with every string capped, those in arrays too (a
 * response path holds the client's aliases). Client strings reach the logs
 * as operation names, aliases and error messages: a 999 KB operation name
 * made a 999 KB line.
 */
export function cappedFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = capped(value);
    else if (Array.isArray(value)) out[key] = value.map((item) => (typeof item === 'string' ? capped(item) : item));
    else out[key] = value;
  }
  return out;
}

/** pino's error serializer, with the message and stack capped. */
export function cappedError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (typeof serialized?.['message'] === 'string') serialized['message'] = capped(serialized['message']);
  if (typeof serialized?.['stack'] === 'string') serialized['stack'] = capped(serialized['stack'], MAX_LOGGED_STACK_CHARS);
  return serialized;
}

/** Line and paragraph separators (and NEL), and the bidirectional controls that reorder what a reader sees. */
const UNSAFE_IN_LINES = /[\u0085\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON allows those characters raw, but JavaScript, some log viewers and
 * terminals do not read them as text: a separator starts a fake line, an
 * override reverses what follows. Written as `\uXXXX` escapes they can only
 * be inside a JSON string, where they decode back to the same text.
 */
export function escapeUnsafeCharacters(line: string): string {
  return line.replace(UNSAFE_IN_LINES, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
