/**
 * Ids become URL path segments and batch-list items. An id is accepted only if
 * it cannot change the path or split into two keys, whatever the upstream's
 * URL decoding does; everything else is refused before any upstream call.
 */

export const MAX_ID_LENGTH = 128;

// Path/query/fragment syntax, the list separator, escapes, every control (Cc), every space or line separator (Z),
// and invisible formatting (Cf: zero-width characters, bidi overrides). The last two are refused because they are
// invisible in a log, a trace or an error message; look-alike ids (homoglyphs, Unicode normal forms) still pass.
const FORBIDDEN = /[/\\?#%,;\p{Cc}\p{Cf}\p{Z}]/u;

/** Why `id` cannot be sent upstream, or `undefined` when it can. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
  if (id === '.' || id === '..') return 'is a dot segment';
  if (FORBIDDEN.test(id)) return 'contains a character that is not allowed (/ \\ ? # % , ; whitespace, control or invisible formatting)';
  try {
    encodeURIComponent(id); // throws on lone surrogates
  } catch {
    return 'is not well-formed Unicode';
  }
  return undefined;
}

export function isSafeId(id: string): boolean {
  return idProblem(id) === undefined;
}

/** One encoded path segment. Callers have checked the id; this refuses again rather than build a wrong URL. */
export function pathSegment(id: string): string {
  const problem = idProblem(id);
  if (problem) throw new TypeError(`unsafe id reached the URL builder: ${problem}`);
  return encodeURIComponent(id);
}

/** A comma-separated list value for a batch endpoint (encoded later as one query parameter). */
export function listValue(ids: readonly string[]): string {
  for (const id of ids) pathSegment(id);
  return ids.join(',');
}
