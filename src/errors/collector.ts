import type { ResponsePath, UpstreamErrorEntry } from './contract.js';
import type { UpstreamFailure } from './upstream-failure.js';

/**
 * Collects, for one GraphQL request, every upstream failure and the response
 * paths it nulled. A failure is one upstream call (a failed batch is one
 * instance shared by all its keys), so it becomes one entry however many
 * fields it nulled.
 */
export class FailureCollector {
  private pending = new Map<UpstreamFailure, ResponsePath[]>();

  /** A path is listed once per entry, even when a field is resolved twice (e.g. also under `@defer`). */
  record(failure: UpstreamFailure, path: ResponsePath): void {
    const paths = this.pending.get(failure);
    if (!paths) this.pending.set(failure, [path]);
    else if (!paths.some((known) => samePath(known, path))) paths.push(path);
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * The entries for the paths that `delivered` says the response part being
   * sent carries (all of them by default); the other paths wait for a later
   * part. An incremental (@defer/@stream) response drains once per part, so
   * each part reports what it nulled.
   */
  drain(delivered: (path: ResponsePath) => boolean = () => true): UpstreamErrorEntry[] {
    const entries: UpstreamErrorEntry[] = [];
    for (const [failure, paths] of this.pending) {
      const now = paths.filter(delivered);
      if (now.length === 0) continue;
      entries.push(failure.toEntry(now));
      const later = paths.filter((path) => !now.includes(path));
      if (later.length > 0) this.pending.set(failure, later);
      else this.pending.delete(failure);
    }
    return entries;
  }
}

function samePath(a: ResponsePath, b: ResponsePath): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
