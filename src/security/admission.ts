/** A release function: gives the admitted cost back to the budget. Calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly cost: number;
  readonly admit: (release: Release) => void;
}

/**
 * Admission control: the estimated cost of the operations executing at once
 * in this process stays within `capacity`, so that no burst of accepted
 * operations can take more memory than the process has. An operation that
 * does not fit waits, at most `maxWaitMs`, then is turned away.
 *
 * Waiters are admitted cheapest first, not in arrival order: a page's small
 * query is not held behind a queue of heavy ones, and under sustained
 * overload it is the heavy ones that are told to come back later.
 */
export class AdmissionBudget {
  private inFlight = 0;
  /** Sorted by cost, cheapest first; equal costs keep their arrival order. */
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly capacity: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Cost currently admitted (for tests and metrics). */
  get admitted(): number {
    return this.inFlight;
  }

  /** Resolves with a release once `cost` fits; with `undefined` after `maxWaitMs`, or when `signal` aborts first. */
  acquire(cost: number, signal?: AbortSignal): Promise<Release | undefined> {
    // An operation dearer than the whole budget runs alone rather than never (the cost limit normally refuses it first).
    const needed = Math.min(cost, this.capacity);
    // Whoever waits does not fit, so is dearer than this one: cheapest first lets it in now.
    if (this.inFlight + needed <= this.capacity) return Promise.resolve(this.take(needed));
    if (signal?.aborted || this.maxWaitMs === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const giveUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(undefined);
      };
      const waiter: Waiter = {
        cost: needed,
        admit: (release) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', giveUp);
          resolve(release);
        },
      };
      const timer = setTimeout(giveUp, this.maxWaitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      const at = this.waiting.findIndex((other) => other.cost > needed);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, waiter);
    });
  }

  private take(cost: number): Release {
    this.inFlight += cost;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= cost;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.inFlight + this.waiting[0]!.cost <= this.capacity) {
      const waiter = this.waiting.shift()!;
      waiter.admit(this.take(waiter.cost));
    }
  }
}
