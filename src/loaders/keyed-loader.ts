import DataLoader from 'dataloader';
import { UpstreamFailure } from '../errors/upstream-failure.js';
import type { KeyedRead, ReadValue } from '../services/define.js';
import { listValue, pathSegment } from '../upstream/ids.js';
import { NOT_FOUND, type Answer, type CallOptions, type Route } from '../upstream/call.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { arrayItems, checkRows, type CheckedRows } from './rows.js';

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
 */
export function createReadLoader<R extends KeyedRead>(read: R, client: ServiceClient, call: CallOptions): DataLoader<string, ReadValue<R>> {
  type Value = ReadValue<R>;
  const batchFn = client.config.batch
    ? (keys: readonly string[]) => loadBatch(read, client, call, keys) as Promise<Array<Value | Error>>
    : (keys: readonly string[]) => Promise.all(keys.map((key) => loadOne(read, client, call, key) as Promise<Value | Error>));
  return new DataLoader<string, Value>(batchFn, {
    maxBatchSize: client.config.batch ? client.config.maxBatchSize : Number.POSITIVE_INFINITY,
  });
}

type Row = object;

async function loadBatch(read: KeyedRead, client: ServiceClient, call: CallOptions, keys: readonly string[]) {
  const route: Route = {
    template: `/${read.batch.path}?${read.batch.param}={keys}`,
    path: read.batch.path,
    searchParams: { [read.batch.param]: listValue(keys) },
    notFoundIsNull: false,
    keys: keys.length,
    batch: true,
  };
  const asked = new Set(keys);
  try {
    const answer = await client.get(route, call, (body) =>
      checkRows(read, { items: arrayItems(body), indexed: true, asked, strangerRows: 'ignore' }),
    );
    return valuesFor(read, answer, keys);
  } catch (error) {
    return keys.map(() => asError(error));
  }
}

async function loadOne(read: KeyedRead, client: ServiceClient, call: CallOptions, key: string) {
  const route: Route = {
    template: `/${read.perKey}`,
    path: read.perKey.replace('{key}', pathSegment(key)),
    notFoundIsNull: true,
    keys: 1,
    batch: false,
  };
  const asked = new Set([key]);
  try {
    const answer = await client.get(route, call, (body) =>
      read.cardinality === 'one'
        ? checkRows(read, { items: [body], indexed: false, asked, strangerRows: 'refuse' })
        : checkRows(read, { items: arrayItems(body), indexed: true, asked, strangerRows: 'refuse' }),
    );
    return valuesFor(read, answer, [key])[0]!;
  } catch (error) {
    return asError(error);
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
