import { FairQueue } from './fair-queue.js';

/**
 * A counting semaphore with a bounded wait: the in-flight cap of one upstream.
 * A waiter that cannot get a slot before its deadline (or whose client went
 * away) is refused instead of queueing forever. Waiters are filed by client
 * (see FairQueue): free slots go to clients in turn, and a full queue makes
 * room for a client with fewer waiters than the one holding the most.
 */
export class SlotTimeout extends Error {
  override readonly name = 'SlotTimeout';

  constructor(readonly queueFull: boolean) {
    super(queueFull ? 'the wait queue is full' : 'no free slot before the deadline');
  }
}

/** Who a waiter waits for, outermost first (e.g. the client's address, then its credentials). */
export type QueueKey = readonly string[];

interface Waiter {
  grant(): void;
  refuse(error: Error): void;
}

export class Slots {
  private active = 0;
  private readonly waiters = new FairQueue<Waiter>();

  constructor(
    readonly limit: number,
    /** Most waiters; beyond it a newcomer is refused at once, or takes the place of another client's newest waiter. */
    readonly maxQueue: number = Number.POSITIVE_INFINITY,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** Resolves to a release function, to be called exactly once. */
  acquire(deadline: number, signal?: AbortSignal, client: QueueKey = []): Promise<() => void> {
    // An abort that already happened fires no event: without this check the waiter would keep its place until its deadline.
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.size >= this.maxQueue) {
      const displaced = this.waiters.evictFor(client);
      if (!displaced) return Promise.reject(new SlotTimeout(true));
      displaced.refuse(new SlotTimeout(true));
    }
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: Error) => {
        settle();
        this.waiters.remove(client, waiter);
        reject(error);
      };
      const onAbort = () => giveUp(abortReason(signal!));
      const timer = setTimeout(() => giveUp(new SlotTimeout(false)), Math.max(0, deadline - Date.now()));
      const waiter: Waiter = {
        grant: () => {
          settle();
          this.active++;
          resolve(this.releaser());
        },
        // Already taken out of the queue by whoever refuses it.
        refuse: (error) => {
          settle();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(client, waiter);
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
