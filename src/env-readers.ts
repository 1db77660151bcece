/**
 * Readers of environment variables. Each names the variable and echoes the
 * value it could not use (never a URL, which may carry credentials), so a
 * misconfigured start-up stops with one line an operator can act on.
 */

/** A setting that cannot be used; its message is the one line printed at start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

export function present(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function readInteger(
  env: Env,
  name: string,
  fallback: number,
  { min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number },
): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name}: expected a whole number ${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Node's timers hold at most this many ms (about 24.8 days); a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A duration in ms, bounded by what a Node timer can wait. */
export function readDuration(env: Env, name: string, fallback: number, { min, max = MAX_TIMER_MS }: { min: number; max?: number }): number {
  return readInteger(env, name, fallback, { min, max: Math.min(max, MAX_TIMER_MS) });
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name}: expected "true" or "false", got ${JSON.stringify(raw)}`);
}

export function readWord<W extends string>(env: Env, name: string, fallback: W, words: readonly W[]): W {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if ((words as readonly string[]).includes(raw)) return raw as W;
  throw new ConfigError(`${name}: expected one of ${words.join(', ')}, got ${JSON.stringify(raw)}`);
}

/** The URL itself is not echoed: it may carry credentials. */
export function readUrl(env: Env, name: string): URL | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}: expected an http:// or https:// URL, got scheme "${url.protocol}"`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${name}: a base URL takes no query string or fragment`);
  }
  // got's prefixUrl joins paths textually; a trailing slash makes "base + route" unambiguous.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** `*` (or unset) means any origin, without credentials; otherwise a list of exact origins. */
export function readOrigins(env: Env, name: string): string[] | undefined {
  const raw = present(env, name);
  if (raw === undefined || raw === '*') return undefined;
  return raw.split(',').map((part) => {
    const origin = part.trim().replace(/\/$/, '');
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError(`${name}: expected "*" or a comma-separated list of origins like https://app.example.com, got ${JSON.stringify(part.trim())}`);
    }
    return origin;
  });
}

/** Frozen all the way down (URLs excepted): nothing may change the config once read. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof URL)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
