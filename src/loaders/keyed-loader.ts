import DataLoader from 'dataloader';
import { z } from 'zod';
import type { KeyedRead } from '../upstream/endpoints.js';
import { listValue, pathSegment } from '../upstream/ids.js';
import { NOT_FOUND, ShapeError, type CallOptions, type Route } from '../upstream/call.js';
import type { ServiceClient } from '../upstream/service-client.js';

/**
 * A per-request DataLoader over one keyed read. With batching on, the keys of
 * one tick become one call to the batch endpoint (DataLoader splits them at
 * maxBatchSize); with it off, one call per distinct key, all at once, capped
 * by the service's in-flight slots. Rows are matched to keys by their key
 * field; a key with no row is `null` (one) or `[]` (many).
 *
 * The batch function never rejects: a failed call resolves each of its keys
 * to the same UpstreamFailure, which DataLoader hands out as that key's error.
 */
export function oneByKey<Row extends object>(read: KeyedRead<Row>, client: ServiceClient, call: CallOptions) {
  return createReadLoader<Row, Row | null>(read, client, call, {
    fromRows: (rows, keys) => {
      const byKey = new Map<string, Row>();
      for (const row of rows) if (!byKey.has(keyOf(read, row))) byKey.set(keyOf(read, row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    perKeyShape: read.row,
  });
}

export function manyByKey<Row extends object>(read: KeyedRead<Row>, client: ServiceClient, call: CallOptions) {
  return createReadLoader<Row, Row[] | null>(read, client, call, {
    fromRows: (rows, keys) => {
      const byKey = new Map<string, Row[]>(keys.map((key) => [key, []]));
      for (const row of rows) byKey.get(keyOf(read, row))?.push(row);
      return keys.map((key) => byKey.get(key) ?? []);
    },
    perKeyShape: arrayOf(read.row),
  });
}

// Building a zod schema costs far more than using one: one array schema per row schema, for the process.
const arrays = new WeakMap<z.ZodType, z.ZodType>();
function arrayOf<Row>(row: z.ZodType<Row>): z.ZodType<Row[]> {
  let array = arrays.get(row);
  if (!array) arrays.set(row, (array = z.array(row)));
  return array as z.ZodType<Row[]>;
}

interface Alignment<Row, Value> {
  /** Values for `keys`, in their order, from rows in any order. */
  fromRows(rows: readonly Row[], keys: readonly string[]): Value[];
  /** Shape of the per-key endpoint's body: one row, or an array of rows. */
  perKeyShape: z.ZodType<Row | Row[]>;
}

function createReadLoader<Row extends object, Value>(
  read: KeyedRead<Row>,
  client: ServiceClient,
  call: CallOptions,
  align: Alignment<Row, Value>,
): DataLoader<string, Value> {
  const batchShape = arrayOf(read.row);

  const loadBatch = async (keys: readonly string[]): Promise<Array<Value | Error>> => {
    const route: Route = {
      template: `/${read.batch.path}?${read.batch.param}={keys}`,
      path: read.batch.path,
      searchParams: { [read.batch.param]: listValue(keys) },
      notFoundIsNull: false,
      keys: keys.length,
      batch: true,
    };
    try {
      // Batch routes never map 404 to NOT_FOUND (notFoundIsNull is false), but the type says it could.
      const rows = await client.get(route, call, (body) => parseShape(batchShape, body));
      return align.fromRows(rows === NOT_FOUND ? [] : rows, keys);
    } catch (error) {
      return keys.map(() => asError(error));
    }
  };

  const loadOne = async (key: string): Promise<Value | Error> => {
    const route: Route = {
      template: `/${read.perKey}`,
      path: read.perKey.replace('{key}', pathSegment(key)),
      notFoundIsNull: true,
      keys: 1,
      batch: false,
    };
    try {
      const body = await client.get(route, call, (raw) => {
        const parsed = parseShape(align.perKeyShape, raw);
        const rows = Array.isArray(parsed) ? parsed : [parsed];
        if (rows.some((row) => keyOf(read, row) !== key)) throw new ShapeError(`a row for another ${read.keyField}`);
        return rows;
      });
      // Unknown key: null for a row, [] for a list of rows, exactly as a batch answer that leaves the key out.
      if (body === NOT_FOUND) return align.fromRows([], [key])[0] as Value;
      const [value] = align.fromRows(body, [key]);
      return value as Value;
    } catch (error) {
      return asError(error);
    }
  };

  const batchFn = client.config.batch
    ? loadBatch
    : (keys: readonly string[]) => Promise.all(keys.map(loadOne));

  return new DataLoader<string, Value>(batchFn, {
    maxBatchSize: client.config.batch ? client.config.maxBatchSize : Number.POSITIVE_INFINITY,
  });
}

function keyOf<Row extends object>(read: KeyedRead<Row>, row: Row): string {
  return row[read.keyField] as unknown as string;
}

function parseShape<T>(shape: z.ZodType<T>, body: unknown): T {
  const result = shape.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('') : '';
  // Only our own schema's words: field path and expectation, never the upstream's values.
  throw new ShapeError(`not the documented shape (${where.replace(/^\./, '') || 'body'}: ${issue?.message ?? 'invalid'})`);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
