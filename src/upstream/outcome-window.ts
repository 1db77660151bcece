/**
 * The outcomes of a breaker's sliding window, oldest first: a ring of
 * timestamps and flags that grows when full. A call adds no object, so the
 * window's thousands of entries, each kept for the window's length, give the
 * garbage collector nothing to copy or promote.
 */
export class OutcomeWindow {
  private times = new Float64Array(64);
  private failed = new Uint8Array(64);
  private head = 0;
  private count = 0;
  private failures = 0;

  get size(): number {
    return this.count;
  }

  /** Failed outcomes in the window. */
  get failedCount(): number {
    return this.failures;
  }

  push(time: number, failed: boolean): void {
    if (this.count === this.times.length) this.grow();
    const at = (this.head + this.count) % this.times.length;
    this.times[at] = time;
    this.failed[at] = failed ? 1 : 0;
    this.count++;
    if (failed) this.failures++;
  }

  /** Forgets the outcomes at or before `time`. */
  dropUpTo(time: number): void {
    while (this.count > 0 && this.times[this.head]! <= time) {
      this.failures -= this.failed[this.head]!;
      this.head = (this.head + 1) % this.times.length;
      this.count--;
    }
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.failures = 0;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const failed = new Uint8Array(this.times.length * 2);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.times.length;
      times[i] = this.times[from]!;
      failed[i] = this.failed[from]!;
    }
    this.times = times;
    this.failed = failed;
    this.head = 0;
  }
}
