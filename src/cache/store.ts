/**
 * Where cached rows live. A store key names one key of one read
 * (`gateway:v1:productById:p3`); under it, one field per audience: `pub` for
 * a row every request may see, `p:<hash>` for a private row and the
 * credentials it was fetched with. Removing a key removes every audience's
 * row at once, which is what a write needs. Values are opaque text
 * (entry.ts); a store neither parses nor judges them.
 */
export interface CacheStore {
  /** `memory` or `redis`: for logs and metrics. */
  readonly kind: string;
  /** An in-process store: the bytes of rows it holds. */
  readonly bytes?: number;
  /**
   * For each key, the text under each of `fields`, in that order (`undefined`
   * where there is none), or the error the store gave for that key alone.
   */
  read(keys: readonly string[], fields: readonly string[]): Promise<Array<Array<string | undefined> | Error>>;
  write(entries: readonly StoreWrite[]): Promise<void>;
  /**
   * Removes every field of these keys. With `forgottenAt` (a write's
   * removal), a store shared by several processes also remembers for
   * FORGOTTEN_FOR_MS that the keys were forgotten then, and keeps no row
   * whose call started before it (`StoreWrite.startedAt`), whichever process
   * stores it.
   */
  remove(keys: readonly string[], forgottenAt?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreWrite {
  readonly key: string;
  readonly field: string;
  readonly text: string;
  /** How long the store must keep this field; the key lives as long as its longest-lived field. */
  readonly ttlMs: number;
  /** Epoch ms at which the call that read the row started: a row read before a removal of its key is not kept. */
  readonly startedAt: number;
}

/** How long a removal is remembered: longer than any call that started before it can take. */
export const FORGOTTEN_FOR_MS = 10 * 60_000;

/**
 * The store was not asked: not connected yet, or its breaker is open. Not a
 * failure of the store's, so neither counted nor held against it.
 */
export class StoreSkipped extends Error {
  override readonly name = 'StoreSkipped';
}
