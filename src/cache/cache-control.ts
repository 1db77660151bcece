/**
 * What an upstream's `Cache-Control` allows the gateway to keep, read by the
 * rules of the gateway's contract rather than a browser's: the gateway is a
 * shared cache of rows, so `s-maxage` (else `max-age`) is the freshness, an
 * answer with no freshness at all is never kept (no heuristic freshness), and
 * `private` answers are kept only under the credentials that fetched them.
 */
export interface CachePolicy {
  /** How long a row is fresh: served with no upstream call. */
  readonly freshMs: number;
  /** After that, how long it is served at once while one background call refreshes it. */
  readonly staleWhileRevalidateMs: number;
  /** After freshness, how long it may stand in for an answer when the upstream fails. */
  readonly staleIfErrorMs: number;
  /** Kept only under the credentials the request forwarded to the service. */
  readonly private: boolean;
}

// Longer lifetimes are cut to a year: nobody needs more, and it keeps every window a safe timer and Redis TTL value.
const MAX_SECONDS = 365 * 24 * 3600;

/** `undefined`: the answer must not be kept (no header, `no-store`, `no-cache`, or no freshness lifetime). */
export function cachePolicy(header: string | undefined): CachePolicy | undefined {
  if (!header) return undefined;
  const directives = parseDirectives(header);
  if (directives.has('no-store') || directives.has('no-cache')) return undefined;
  const freshSeconds = seconds(directives.get('s-maxage')) ?? seconds(directives.get('max-age'));
  if (freshSeconds === undefined) return undefined;
  // The upstream asked that a stale row never be used without asking it again.
  const mayServeStale = !directives.has('must-revalidate') && !directives.has('proxy-revalidate');
  return {
    freshMs: freshSeconds * 1000,
    staleWhileRevalidateMs: mayServeStale ? (seconds(directives.get('stale-while-revalidate')) ?? 0) * 1000 : 0,
    staleIfErrorMs: mayServeStale ? (seconds(directives.get('stale-if-error')) ?? 0) * 1000 : 0,
    private: directives.has('private'),
  };
}

/** Directive names (lower case) to their argument, quotes removed; `''` for a directive without one. */
function parseDirectives(header: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of header.split(',')) {
    const [name = '', ...rest] = part.split('=');
    const key = name.trim().toLowerCase();
    // A directive sent twice with different values is ambiguous: the first one counts, as in most caches.
    if (key && !directives.has(key)) directives.set(key, rest.join('=').trim().replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Math.min(Number(value), MAX_SECONDS);
}
