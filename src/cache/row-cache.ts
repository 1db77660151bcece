import { createHmac } from 'node:crypto';
import type { KeyedRead } from '../services/define.js';
import type { ServiceName } from '../services/index.js';
import type { CacheOutcome } from '../upstream/observe.js';
import { cachePolicy } from './cache-control.js';
import { decodeRow, encodeRow, lifetimeMs, rowFrom, type CachedRow } from './entry.js';
import { within } from './guarded-store.js';
import { FORGOTTEN_FOR_MS, StoreSkipped, type CacheStore, type StoreWrite } from './store.js';

/** Process-wide counts of what the cache did, per service (metrics). */
export interface CacheListener {
  /** `count` keys of a lookup ended this way. */
  keys?(service: ServiceName, outcome: CacheOutcome, count: number): void;
  /** A store operation failed (down, slow, or answered something that is not a row). */
  storeFailed?(service: ServiceName): void;
}

/** Tells the other processes that share nothing with this one (a cluster's memory stores) to forget keys too. */
export interface ForgetBus {
  publish(storeKeys: readonly string[]): Promise<void>;
  subscribe(forget: (storeKeys: readonly string[]) => Promise<void>): void;
}

/** What one key's upstream call gave: its value (or its failure) and the answer's `Cache-Control`. */
export interface FetchedKey {
  readonly value: unknown;
  readonly cacheControl?: string | undefined;
  /** Epoch ms (Date.now) at which the call that answered began: maybe another request's, joined in flight. */
  readonly calledAt?: number;
}

export interface RowCacheOptions {
  readonly store: CacheStore;
  /** Keys the hash of forwarded credentials: without it, nobody who reads the store can test a guessed token. */
  readonly scopeSecret: string;
  readonly listener?: CacheListener;
  readonly bus?: ForgetBus;
  /** How long a write waits for the store to confirm a removal (a remote store's deadline). */
  readonly removalWaitMs: number;
  /**
   * Told the reads whose keys this process forgets, for a write of its own or one another worker relayed: the
   * calls to them in flight now may hold what the write changed.
   */
  readonly forgotten?: (reads: ReadonlySet<string>) => void;
  readonly now?: () => number;
}

const PUBLIC_FIELD = 'pub';

/**
 * The gateway's shared cache of upstream rows, per key (docs/caching.md). It
 * decides nothing about freshness (the loaders do, read-through.ts); it
 * keeps what the upstream allowed, under the audience the upstream allowed,
 * and forgets what a write changed.
 */
export class RowCache {
  readonly now: () => number;
  private readonly forgottenAt = new Map<string, number>();
  /** Removals not yet confirmed by the store: those keys are not read from it meanwhile. */
  private readonly unconfirmed = new Map<string, number>();
  private readonly refreshing = new Set<string>();

  constructor(private readonly options: RowCacheOptions) {
    this.now = options.now ?? Date.now;
    options.bus?.subscribe((storeKeys) => this.forgetHere(storeKeys));
  }

  /** The audience of private rows for these forwarded credentials; `undefined` when nothing is forwarded. */
  scopeOf(shareKey: string | undefined): string | undefined {
    if (!shareKey) return undefined;
    return createHmac('sha256', this.options.scopeSecret).update(shareKey).digest('base64url').slice(0, 32);
  }

  /**
   * The row of each key that this audience may see (the newer of the public and its private one), if any, with the
   * audience it was kept for: `scope` for its private row, `undefined` for the public one.
   */
  async lookup(read: KeyedRead, scope: string | undefined, keys: readonly string[]): Promise<Array<FoundRow | undefined>> {
    const storeKeys = keys.map((key) => storeKey(read, key));
    let found: Array<Array<string | undefined> | Error>;
    try {
      found = await this.options.store.read(storeKeys, scope ? [PUBLIC_FIELD, privateField(scope)] : [PUBLIC_FIELD]);
    } catch (error) {
      this.failed(read, error);
      return keys.map(() => undefined);
    }
    const garbage: string[] = [];
    const rows = keys.map((key, index) => {
      const texts = found[index] ?? [];
      if (this.unconfirmed.has(storeKeys[index]!)) return undefined;
      // The fields were asked in this order: the public one, then this audience's.
      const decode = (text: string, field: number) => withAudience(decodeRow(read, key, text), field === 0 ? undefined : scope);
      const decoded = texts instanceof Error ? [undefined] : texts.flatMap((text, field) => (text === undefined ? [] : [decode(text, field)]));
      if (decoded.includes(undefined)) garbage.push(storeKeys[index]!);
      return decoded.reduce<FoundRow | undefined>((best, row) => (row && (!best || row.storedAt > best.storedAt) ? row : best), undefined);
    });
    if (garbage.length > 0) this.dropGarbage(read, garbage);
    return rows;
  }

  /**
   * Keeps what a call answered for `keys`, as far as its `Cache-Control`
   * allows: not failures, not private rows without credentials, and nothing
   * for a key a write forgot after the call started. Never waits for the store.
   */
  save(read: KeyedRead, scope: string | undefined, keys: readonly string[], fetched: readonly FetchedKey[], startedAt: number): void {
    const storedAt = this.now();
    const writes: StoreWrite[] = [];
    keys.forEach((key, index) => {
      const { value, cacheControl } = fetched[index]!;
      const policy = value instanceof Error ? undefined : cachePolicy(cacheControl);
      if (!policy || (policy.private && !scope)) return;
      const row = rowFrom(policy, storedAt, value);
      const where = storeKey(read, key);
      if (lifetimeMs(row) <= 0 || (this.forgottenAt.get(where) ?? -Infinity) >= startedAt) return;
      writes.push({ key: where, field: policy.private ? privateField(scope!) : PUBLIC_FIELD, text: encodeRow(row), ttlMs: lifetimeMs(row), startedAt });
    });
    if (writes.length > 0) this.options.store.write(writes).catch((error: unknown) => this.failed(read, error));
  }

  /**
   * Removes every audience's row of these keys from the store, and from every
   * other process's memory store, before resolving. A store that cannot
   * confirm within `removalWaitMs` does not hold up the write: the removal
   * stays queued, and this process ignores those keys in the store until it
   * is confirmed.
   */
  async forget(read: KeyedRead, keys: readonly string[]): Promise<void> {
    const storeKeys = keys.map((key) => storeKey(read, key));
    const here = within(this.options.removalWaitMs, this.forgetHere(storeKeys)).catch((error: unknown) => this.failed(read, error));
    const elsewhere = this.options.bus?.publish(storeKeys).catch((error: unknown) => this.failed(read, error));
    await Promise.all([here, elsewhere]);
  }

  /**
   * Starts the one background refresh of each row not already being refreshed; returns the keys it took. A public
   * row is refreshed once, whoever found it stale; a private row once per audience.
   */
  claimRefresh(read: KeyedRead, rows: ReadonlyArray<{ readonly key: string; readonly audience: string | undefined }>): { keys: string[]; release(): void } {
    const claimed: string[] = [];
    const ids: string[] = [];
    for (const { key, audience } of rows) {
      const id = `${audience ?? ''}\n${storeKey(read, key)}`;
      if (this.refreshing.has(id)) continue;
      this.refreshing.add(id);
      claimed.push(key);
      ids.push(id);
    }
    return { keys: claimed, release: () => ids.forEach((id) => this.refreshing.delete(id)) };
  }

  /** Bytes of rows an in-process store holds; 0 for a remote one. */
  get heldBytes(): number {
    return this.options.store.bytes ?? 0;
  }

  count(read: KeyedRead, outcome: CacheOutcome, count: number): void {
    if (count > 0) this.options.listener?.keys?.(read.service as ServiceName, outcome, count);
  }

  close(): Promise<void> {
    return this.options.store.close();
  }

  private forgetHere(storeKeys: readonly string[]): Promise<void> {
    this.options.forgotten?.(new Set(storeKeys.map(readOf)));
    const at = this.now();
    for (const [key, when] of this.forgottenAt) {
      if (when > at - FORGOTTEN_FOR_MS) break; // insertion order is time order
      this.forgottenAt.delete(key);
    }
    for (const key of storeKeys) {
      this.forgottenAt.delete(key);
      this.forgottenAt.set(key, at);
      this.unconfirmed.set(key, (this.unconfirmed.get(key) ?? 0) + 1);
    }
    const removal = this.options.store.remove(storeKeys, at);
    // Confirmed whenever the store gets to it, however long after the write's answer that is.
    const confirm = () => this.confirm(storeKeys);
    removal.then(confirm, confirm);
    return removal;
  }

  private confirm(storeKeys: readonly string[]): void {
    for (const key of storeKeys) {
      const left = (this.unconfirmed.get(key) ?? 1) - 1;
      if (left > 0) this.unconfirmed.set(key, left);
      else this.unconfirmed.delete(key);
    }
  }

  /** What is under a key is not a row of ours (written by something else, or damaged): counted, and removed. */
  private dropGarbage(read: KeyedRead, storeKeys: readonly string[]): void {
    storeKeys.forEach(() => this.failed(read, undefined));
    this.options.store.remove(storeKeys).catch(() => {});
  }

  private failed(read: KeyedRead, error: unknown): void {
    if (error instanceof StoreSkipped) return;
    this.options.listener?.storeFailed?.(read.service as ServiceName);
  }
}

/** A row a lookup found, and the audience it was kept for (`undefined`: every request's). */
export type FoundRow = CachedRow & { readonly audience: string | undefined };

function withAudience(row: CachedRow | undefined, audience: string | undefined): FoundRow | undefined {
  return row && { ...row, audience };
}

/** `gateway:v1:<read>:<key>`; the version changes with the stored format, so old rows are never misread. */
export function storeKey(read: KeyedRead, key: string): string {
  return `gateway:v1:${read.name}:${key}`;
}

/** The name of the read a store key belongs to. */
function readOf(storeKey: string): string {
  return storeKey.split(':')[2] ?? '';
}

function privateField(scope: string): string {
  return `p:${scope}`;
}
