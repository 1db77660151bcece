import type { KeyedRead } from '../services/define.js';
import type { CachePolicy } from './cache-control.js';

/**
 * One key's answer as the store keeps it: the value the loader gave for the
 * key (its row, its rows, or `null` for "not found"), when it was stored, and
 * the windows its `Cache-Control` granted, relative to that moment. Stored as
 * JSON text, so a memory store and Redis keep the same bytes, and a reader
 * decides freshness with its own clock, without trusting the store's expiry.
 */
export interface CachedRow {
  /** Epoch ms at which the upstream's answer arrived. */
  readonly storedAt: number;
  readonly freshMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  readonly value: unknown;
}

/** How a cached row may be used now. */
export type Freshness = 'fresh' | 'revalidate' | 'expired';

export function rowFrom(policy: CachePolicy, storedAt: number, value: unknown): CachedRow {
  return { storedAt, freshMs: policy.freshMs, staleWhileRevalidateMs: policy.staleWhileRevalidateMs, staleIfErrorMs: policy.staleIfErrorMs, value };
}

/** How long the store must keep the row: until its last window closes. */
export function lifetimeMs(row: CachedRow): number {
  return row.freshMs + Math.max(row.staleWhileRevalidateMs, row.staleIfErrorMs);
}

export function freshness(row: CachedRow, now: number): Freshness {
  const age = now - row.storedAt;
  if (age < row.freshMs) return 'fresh';
  return age < row.freshMs + row.staleWhileRevalidateMs ? 'revalidate' : 'expired';
}

/** May stand in for the answer of a call that failed now. */
export function servableOnError(row: CachedRow, now: number): boolean {
  return now - row.storedAt < row.freshMs + row.staleIfErrorMs;
}

export function ageSeconds(row: CachedRow, now: number): number {
  return Math.max(0, Math.floor((now - row.storedAt) / 1000));
}

export function encodeRow(row: CachedRow): string {
  return JSON.stringify({ at: row.storedAt, fresh: row.freshMs, swr: row.staleWhileRevalidateMs, sie: row.staleIfErrorMs, value: row.value });
}

/**
 * The row stored for `key` of `read`, or `undefined` when the text is not one:
 * not JSON, windows that are not numbers, or a value that is not what the
 * read's rows look like for that key. The store is outside the gateway's
 * control (shared, restarted, written by others), so its bytes are checked as
 * strictly as an upstream's.
 */
export function decodeRow(read: KeyedRead, key: string, text: string): CachedRow | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { at, fresh, swr, sie, value } = parsed as Record<string, unknown>;
  if (![at, fresh, swr, sie].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
  const checked = read.cardinality === 'one' ? (value === null ? null : checkedRow(read, key, value)) : checkedRows(read, key, value);
  if (checked === undefined) return undefined;
  return { storedAt: at as number, freshMs: fresh as number, staleWhileRevalidateMs: swr as number, staleIfErrorMs: sie as number, value: checked };
}

function checkedRows(read: KeyedRead, key: string, value: unknown): object[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rows = value.map((item) => checkedRow(read, key, item));
  return rows.every((row) => row !== undefined) ? (rows as object[]) : undefined;
}

function checkedRow(read: KeyedRead, key: string, value: unknown): object | undefined {
  const result = read.row.safeParse(value);
  if (!result.success) return undefined;
  return (result.data as Record<string, unknown>)[read.keyField] === key ? result.data : undefined;
}
