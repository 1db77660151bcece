import type { ResponsePath, UpstreamErrorEntry } from './contract.js';
import type { UpstreamFailure } from './upstream-failure.js';

/** Something reported once with every response path it affected: a failed call, or a stale answer. */
export interface Reportable<Entry> {
  toEntry(paths: ReadonlyArray<ResponsePath>): Entry;
}

/**
 * Collects, for one GraphQL request, what happened to some of its fields and
 * the response paths each thing affected, to report each thing once with all
 * of its paths, in the response part that delivers them.
 */
export class PathCollector<Source extends Reportable<Entry>, Entry> {
  private pending = new Map<Source, ResponsePath[]>();

  /** A path is listed once per entry, even when a field is resolved twice (e.g. also under `@defer`). */
  record(source: Source, path: ResponsePath): void {
    const paths = this.pending.get(source);
    if (!paths) this.pending.set(source, [path]);
    else if (!paths.some((known) => samePath(known, path))) paths.push(path);
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * The entries for the paths that `delivered` says the response part being
   * sent carries (all of them by default); the other paths wait for a later
   * part. An incremental (@defer/@stream) response drains once per part, so
   * each part reports what it delivers.
   */
  drain(delivered: (path: ResponsePath) => boolean = () => true): Entry[] {
    const entries: Entry[] = [];
    for (const [source, paths] of this.pending) {
      const now = paths.filter(delivered);
      if (now.length === 0) continue;
      entries.push(source.toEntry(now));
      const later = paths.filter((path) => !now.includes(path));
      if (later.length > 0) this.pending.set(source, later);
      else this.pending.delete(source);
    }
    return entries;
  }
}

/**
 * Every upstream failure of one request and the paths it nulled. A failure is
 * one upstream call (a failed batch is one instance shared by all its keys),
 * so it becomes one `extensions.errors` entry however many fields it nulled.
 */
export class FailureCollector extends PathCollector<UpstreamFailure, UpstreamErrorEntry> {}

function samePath(a: ResponsePath, b: ResponsePath): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
