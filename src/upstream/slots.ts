/**
 * A counting semaphore with a bounded wait: the in-flight cap of one upstream.
 * A waiter that cannot get a slot before its deadline (or whose client went
 * away) is refused instead of queueing forever.
 */
export class SlotTimeout extends Error {
  override readonly name = 'SlotTimeout';

  constructor(readonly queueFull: boolean) {
    super(queueFull ? 'the wait queue is full' : 'no free slot before the deadline');
  }
}

interface Waiter {
  grant(): void;
}

export class Slots {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly limit: number,
    /** Most waiters; one more is refused at once rather than queued. */
    readonly maxQueue: number = Number.POSITIVE_INFINITY,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** Resolves to a release function, to be called exactly once. */
  acquire(deadline: number, signal?: AbortSignal): Promise<() => void> {
    // An abort that already happened fires no event: without this check the waiter would keep its place until its deadline.
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.maxQueue) return Promise.reject(new SlotTimeout(true));
    return new Promise((resolve, reject) => {
      const waitMs = deadline - Date.now();
      const giveUp = (error: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(error);
      };
      const onAbort = () => giveUp(abortReason(signal!));
      const timer = setTimeout(() => giveUp(new SlotTimeout(false)), Math.max(0, waitMs));
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(this.releaser());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters.shift()?.grant();
    };
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
