import type { z } from 'zod';
import type { KeyedRead } from '../services/define.js';
import { ShapeError } from '../upstream/call.js';

/**
 * The rows of one upstream answer, each checked against its read's row
 * shape, so that one bad row fails only the key it belongs to. A body that is
 * not what the route promises at all (not an array of rows), or a bad row
 * that names no key the call asked for, fails the whole call: the gateway
 * could not tell which key's answer is incomplete, and must not call the
 * others "not found".
 */
export interface CheckedRows<Row extends object> {
  readonly rows: readonly Row[];
  /** Keys that had a row not of the documented shape. */
  readonly badKeys: ReadonlySet<string>;
  /** Why, in our own words (field path and expectation, never the upstream's values); set when `badKeys` is not empty. */
  readonly problem?: string;
}

export interface RowSource {
  /** The row items of the body. */
  readonly items: readonly unknown[];
  /** The body is an array (its items are labelled `[i]` in messages) rather than a single row. */
  readonly indexed: boolean;
  /** Keys the call asked for. */
  readonly asked: ReadonlySet<string>;
  /** A well-formed row for a key that was not asked for: a per-key route must not send one; a batch answer may. */
  readonly strangerRows: 'refuse' | 'ignore';
}

export function checkRows<Row extends object>(read: KeyedRead<Row>, source: RowSource): CheckedRows<Row> {
  const rows: Row[] = [];
  const badKeys = new Set<string>();
  let problem: string | undefined;
  source.items.forEach((item, index) => {
    const label = source.indexed ? `[${index}]` : '';
    const result = read.row.safeParse(item);
    const key = keyOfItem(read, result.success ? result.data : item);
    if (result.success) {
      if (key !== undefined && source.asked.has(key)) rows.push(result.data);
      else if (source.strangerRows === 'refuse') throw new ShapeError(`a row for another ${read.keyField}`);
      return;
    }
    const why = shapeProblem(result.error, label);
    if (key === undefined || !source.asked.has(key)) throw new ShapeError(`not the documented shape (${why})`);
    badKeys.add(key);
    problem ??= why;
  });
  if (badKeys.size === 0) return { rows, badKeys };
  const count = badKeys.size === 1 ? '' : `rows for ${badKeys.size} keys are `;
  return { rows, badKeys, problem: `${count}not the documented shape (${problem})` };
}

/** Where and why a value is not the documented shape, in our own words: a field path and an expectation, never a value. */
export function shapeProblem(error: z.ZodError, label = ''): string {
  const issue = error.issues[0];
  const where = `${label}${issue?.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('') ?? ''}`;
  return `${where.replace(/^\./, '') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

/** The items of a body that must be an array of rows. */
export function arrayItems(body: unknown): readonly unknown[] {
  if (!Array.isArray(body)) throw new ShapeError('not the documented shape (body: expected an array of rows)');
  return body;
}

function keyOfItem(read: KeyedRead, item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const key: unknown = (item as Record<string, unknown>)[read.keyField];
  return typeof key === 'string' ? key : undefined;
}
