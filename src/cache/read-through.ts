import { isUpstreamFailure, type UpstreamFailure } from '../errors/upstream-failure.js';
import type { KeyedRead } from '../services/define.js';
import type { CallOptions } from '../upstream/call.js';
import { endTracking, startTracking, type CacheOutcome } from '../upstream/observe.js';
import { ageSeconds, freshness, servableOnError } from './entry.js';
import type { FetchedKey, FoundRow, RowCache } from './row-cache.js';
import { StaleNote, type StaleAnswers } from './stale.js';

/** The cache as one request sees it: the process's rows, and where this request's stale answers are marked. */
export interface RequestCache {
  readonly rows: RowCache;
  readonly stale: StaleAnswers;
}

/** Asks the upstream for `keys` (one batch call, or one call per key) and says what it answered for each. */
export type FetchKeys = (keys: readonly string[], call: CallOptions, cacheMiss: boolean) => Promise<FetchedKey[]>;

export interface ReadThroughOptions {
  readonly read: KeyedRead;
  readonly call: CallOptions;
  readonly fetch: FetchKeys;
  /** The route the keys would be fetched by, as the upstream trace names it. */
  readonly route: { readonly template: string; readonly batch: boolean };
  /** The service's call timeout: the deadline of a background refresh, which no request waits for. */
  readonly timeoutMs: number;
}

/**
 * A loader's batch function in front of the cache. Fresh rows are served as
 * they are; rows within `stale-while-revalidate` are served too, and one
 * background call refreshes them; only the other keys are fetched, in one
 * call (or one per key). When that call fails for a key whose row is within
 * `stale-if-error`, the row is served instead of the failure, and marked so
 * that the field that shows it lists it in `extensions.stale`.
 */
export function readThroughBatch(cache: RequestCache, options: ReadThroughOptions) {
  const { read, call } = options;
  const scope = cache.rows.scopeOf(call.shareKey);
  return async (keys: readonly string[]): Promise<unknown[]> => {
    const rows = await cache.rows.lookup(read, scope, keys);
    const now = cache.rows.now();
    const values: unknown[] = new Array(keys.length);
    const missing: number[] = [];
    const revalidate: Array<{ key: string; audience: string | undefined }> = [];
    keys.forEach((key, index) => {
      const row = rows[index];
      const state = row ? freshness(row, now) : 'expired';
      if (state === 'expired') return void missing.push(index);
      values[index] = row!.value;
      if (state === 'revalidate') revalidate.push({ key, audience: row!.audience });
    });
    report(cache, options, 'hit', keys.length - missing.length - revalidate.length);
    report(cache, options, 'revalidating', revalidate.length);
    if (revalidate.length > 0) refreshInBackground(cache, options, scope, revalidate);
    if (missing.length > 0) await fetchMissing(cache, options, scope, { keys, rows, values, missing });
    return values;
  };
}

interface Lookup {
  readonly keys: readonly string[];
  readonly rows: ReadonlyArray<FoundRow | undefined>;
  readonly values: unknown[];
  /** Indexes of the keys the cache could not serve. */
  readonly missing: readonly number[];
}

async function fetchMissing(cache: RequestCache, options: ReadThroughOptions, scope: string | undefined, lookup: Lookup): Promise<void> {
  const keys = lookup.missing.map((index) => lookup.keys[index]!);
  const startedAt = cache.rows.now();
  const askedAt = Date.now();
  const fetched = await options.fetch(keys, options.call, true);
  cache.rows.save(options.read, scope, keys, fetched, readSince(startedAt, askedAt, fetched));
  const now = cache.rows.now();
  const notes = new Map<UpstreamFailure, Map<number, StaleNote>>();
  let stale = 0;
  lookup.missing.forEach((index, position) => {
    const { value } = fetched[position]!;
    const row = lookup.rows[index];
    // A stale "not found" (`null`) cannot carry a mark: the failure is reported instead.
    if (!isUpstreamFailure(value) || !row || row.value === null || !servableOnError(row, now)) {
      lookup.values[index] = value;
      return;
    }
    lookup.values[index] = row.value;
    cache.stale.mark(row.value as object, noteFor(notes, value, ageSeconds(row, now)));
    stale++;
  });
  cache.rows.count(options.read, 'miss', keys.length - stale);
  report(cache, options, 'stale', stale);
}

/** One note per failed call and age: the keys it covers become one `extensions.stale` entry. */
function noteFor(notes: Map<UpstreamFailure, Map<number, StaleNote>>, failure: UpstreamFailure, age: number): StaleNote {
  let byAge = notes.get(failure);
  if (!byAge) notes.set(failure, (byAge = new Map()));
  let note = byAge.get(age);
  if (!note) byAge.set(age, (note = new StaleNote(failure.service, failure.code, age)));
  return note;
}

/**
 * One refresh per key at a time, outside the request: its own deadline, no client signal, nobody's trace. It waits
 * for a slot as the client that asked: without a queue key it would be served ahead of every client's waiters.
 */
function refreshInBackground(cache: RequestCache, options: ReadThroughOptions, scope: string | undefined, rows: Parameters<RowCache['claimRefresh']>[1]): void {
  const claim = cache.rows.claimRefresh(options.read, rows);
  if (claim.keys.length === 0) return;
  const { headers, shareKey, queueKey } = options.call;
  const call: CallOptions = {
    deadline: Date.now() + options.timeoutMs,
    headers,
    ...(shareKey === undefined ? {} : { shareKey }),
    ...(queueKey === undefined ? {} : { queueKey }),
  };
  const startedAt = cache.rows.now();
  const askedAt = Date.now();
  options
    .fetch(claim.keys, call, false)
    .then((fetched) => cache.rows.save(options.read, scope, claim.keys, fetched, readSince(startedAt, askedAt, fetched)))
    .catch(() => {}) // the loaders' fetches never reject; a gateway bug here must not take the process down
    .finally(claim.release);
}

/**
 * When what `fetched` holds was read from the upstream, on the cache's clock: `startedAt`, or earlier when the
 * request joined a call already in flight. A write in between must keep it out of the cache (RowCache.save), even
 * in a process that did not see the write and shared that call with a request that came after it.
 */
function readSince(startedAt: number, askedAt: number, fetched: readonly FetchedKey[]): number {
  const calledAt = fetched.reduce((earliest, { calledAt = askedAt }) => Math.min(earliest, calledAt), askedAt);
  return startedAt - (askedAt - calledAt);
}

/** Keys the cache answered: counted, and shown to the request's own watchers (its trace and log line) as a call avoided. */
function report(cache: RequestCache, options: ReadThroughOptions, outcome: Exclude<CacheOutcome, 'miss'>, keys: number): void {
  if (keys === 0) return;
  cache.rows.count(options.read, outcome, keys);
  const { template, batch } = options.route;
  const trackers = startTracking(options.call.observers ?? [], { service: options.read.service as never, route: template, method: 'GET', keys, batch, cache: outcome });
  endTracking(trackers, { attempts: 0, durationMs: 0, outcome: 'ok' });
}
