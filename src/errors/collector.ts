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

  record(failure: UpstreamFailure, path: ResponsePath): void {
    const paths = this.pending.get(failure);
    if (paths) paths.push(path);
    else this.pending.set(failure, [path]);
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * The entries recorded since the last drain. An incremental (@defer/@stream)
   * response drains once per part, so each part reports what it nulled.
   */
  drain(): UpstreamErrorEntry[] {
    const entries = [...this.pending].map(([failure, paths]) => failure.toEntry(paths));
    this.pending = new Map();
    return entries;
  }
}
