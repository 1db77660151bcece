import { PathCollector } from '../errors/collector.js';
import type { ResponsePath, StaleEntry, UpstreamErrorCode } from '../errors/contract.js';
import type { ServiceName } from '../services/index.js';

/** Keys of one failed call that were served stale instead, all of the same age: one `extensions.stale` entry. */
export class StaleNote {
  constructor(
    readonly service: ServiceName,
    readonly code: UpstreamErrorCode,
    readonly ageSeconds: number,
  ) {}

  toEntry(paths: ReadonlyArray<ResponsePath>): StaleEntry {
    return { service: this.service, code: this.code, paths, ageSeconds: this.ageSeconds };
  }
}

/**
 * The stale answers of one request. A loader marks each value it served
 * stale; the field that awaits that value (`nullOnFailure`) finds the mark and
 * records its own path, exactly where a failure would have recorded the path
 * it nulled. Marks are keyed by the value itself: values decoded from the
 * store are new objects in every request, and reading a mark does not consume
 * it, so the lookahead that also reads loader values changes nothing.
 */
export class StaleAnswers extends PathCollector<StaleNote, StaleEntry> {
  private readonly marks = new WeakMap<object, StaleNote>();

  mark(value: object, note: StaleNote): void {
    this.marks.set(value, note);
  }

  /** Lists `path` in the note of `value` when the loader served `value` stale. */
  recordIfStale(value: unknown, path: ResponsePath): void {
    if (value === null || typeof value !== 'object') return;
    const note = this.marks.get(value);
    if (note) this.record(note, path);
  }
}
