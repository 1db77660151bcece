import DataLoader from 'dataloader';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import type { KeyedRead, ReadValue } from '../services/define.js';
import { listValue, pathSegment } from '../upstream/ids.js';
import { NOT_FOUND, type Answer, type CallOptions, type Route } from '../upstream/call.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { arrayItems, checkRows, type CheckedRows } from './rows.js';
import { readThroughBatch, type FetchKeys, type RequestCache } from '../cache/read-through.js';
import type { FetchedKey } from '../cache/row-cache.js';

/**
 * A per-request DataLoader over one keyed read. With batching on, the keys of
 * one tick become one call to the batch endpoint (DataLoader splits them at
 * maxBatchSize); with it off, one call per distinct key, all at once, capped
 * by the service's in-flight slots. Rows are matched to keys by their key
 * field; a key with no row is `null` (one) or `[]` (many).
 *
 * The batch function never rejects: a failed call resolves each of its keys
 * to the same UpstreamFailure, which DataLoader hands out as that key's error,
 * so the failure is reported once with every path it nulled. A bad row fails
 * its own key only, again with one failure per call.
 *
 * With the service's cache on, the batch function asks the cache first and
 * calls the upstream only for the keys it could not serve (cache/read-through.ts).
 */
export function createReadLoader<R extends KeyedRead>(
  read: R,
  client: ServiceClient,
  call: CallOptions,
  cache?: RequestCache,
): DataLoader<string, ReadValue<R>> {
  type Value = ReadValue<R>;
  const { batch } = client.config;
  const fetch: FetchKeys = batch
    ? (keys, options, cacheMiss) => loadBatch(read, client, options, keys, cacheMiss)
    : (keys, options, cacheMiss) => Promise.all(keys.map((key) => loadOne(read, client, options, key, cacheMiss)));
  const batchFn =
    cache && client.config.cache
      ? readThroughBatch(cache, { read, call, fetch, route: { template: routeTemplate(read, batch), batch }, timeoutMs: client.config.timeoutMs })
      : async (keys: readonly string[]) => (await fetch(keys, call, false)).map(({ value }) => value);
  return new DataLoader<string, Value>(batchFn as (keys: readonly string[]) => Promise<Array<Value | Error>>, {
    maxBatchSize: batch ? client.config.maxBatchSize : Number.POSITIVE_INFINITY,
  });
}

type Row = object;

function routeTemplate(read: KeyedRead, batch: boolean): string {
  return batch ? `/${read.batch.path}?${read.batch.param}={keys}` : `/${read.perKey}`;
}

/** One batch call; every key's value is its row(s), `null`/`[]` when left out, or the call's failure. */
async function loadBatch(read: KeyedRead, client: ServiceClient, call: CallOptions, keys: readonly string[], cacheMiss: boolean): Promise<FetchedKey[]> {
  const route: Route = {
    template: routeTemplate(read, true),
    path: read.batch.path,
    searchParams: { [read.batch.param]: listValue(keys) },
    notFoundIsNull: false,
    keys: keys.length,
    batch: true,
    cacheMiss,
  };
  const asked = new Set(keys);
  try {
    const answer = await client.get(route, call, (body) =>
      checkRows(read, { items: arrayItems(body), indexed: true, asked, strangerRows: 'ignore' }),
    );
    // The answer's Cache-Control covers every row in it, and every key it left out ("not found" is an answer too).
    return valuesFor(read, answer, keys).map((value) => ({ value, cacheControl: answer.cacheControl, calledAt: answer.startedAt }));
  } catch (error) {
    return keys.map(() => ({ value: asError(error) }));
  }
}

async function loadOne(read: KeyedRead, client: ServiceClient, call: CallOptions, key: string, cacheMiss: boolean): Promise<FetchedKey> {
  const route: Route = {
    template: routeTemplate(read, false),
    path: read.perKey.replace('{key}', pathSegment(key)),
    notFoundIsNull: true,
    keys: 1,
    batch: false,
    cacheMiss,
  };
  const asked = new Set([key]);
  try {
    const answer = await client.get(route, call, (body) =>
      read.cardinality === 'one'
        ? checkRows(read, { items: [body], indexed: false, asked, strangerRows: 'refuse' })
        : checkRows(read, { items: arrayItems(body), indexed: true, asked, strangerRows: 'refuse' }),
    );
    // A 404 is not a 2xx answer: "not found" from a per-key route is not kept.
    return {
      value: valuesFor(read, answer, [key])[0]!,
      cacheControl: answer.value === NOT_FOUND ? undefined : answer.cacheControl,
      calledAt: answer.startedAt,
    };
  } catch (error) {
    return { value: asError(error) };
  }
}

/** One value (or the call's failure) per key, in the order of `keys`; an unknown key is `null` or `[]`. */
function valuesFor(read: KeyedRead, answer: Answer<CheckedRows<Row>>, keys: readonly string[]): Array<Row | Row[] | null | Error> {
  const checked = answer.value === NOT_FOUND ? undefined : answer.value;
  const bad = checked?.problem
    ? new UpstreamFailure(read.service as never, 'BAD_RESPONSE', `${read.service} sent a bad response: ${checked.problem}`, answer.attempts)
    : undefined;
  const byKey = new Map<string, Row[]>();
  for (const row of checked?.rows ?? []) {
    const key = (row as Record<string, unknown>)[read.keyField] as string;
    const rows = byKey.get(key);
    if (rows) rows.push(row);
    else byKey.set(key, [row]);
  }
  return keys.map((key) => {
    if (bad && checked!.badKeys.has(key)) return bad;
    const rows = byKey.get(key);
    return read.cardinality === 'one' ? (rows?.[0] ?? null) : (rows ?? []);
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
