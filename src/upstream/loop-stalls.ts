/**
 * How long this process was unable to run callbacks (event-loop stalls) in a
 * recent span of time. While the loop is stalled an upstream's answer can sit
 * unread in its socket until the attempt's timer fires: such a timeout is the
 * gateway's doing, not the upstream's. Seen as the lateness of a timer that
 * should tick every TICK_MS.
 */
const TICK_MS = 20;
/** Lateness below this is ordinary scheduling noise. */
const NOISE_MS = 5;
/** Enough for a call's whole timeout at any stall rate worth noticing; older ones fall off. */
const KEPT = 1024;

export class LoopStalls {
  /** [when the stall ended, how long it lasted], oldest first. */
  private readonly stalls: Array<readonly [number, number]> = [];
  private lastTick = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Starts watching (once per process is enough); the timer never keeps the process alive. */
  watch(): void {
    if (this.timer) return;
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS).unref();
  }

  /** Milliseconds of stall since `since` (epoch ms). */
  since(since: number): number {
    let total = 0;
    for (let index = this.stalls.length - 1; index >= 0; index--) {
      const [end, ms] = this.stalls[index]!;
      if (end <= since) break;
      total += Math.min(ms, end - since);
    }
    return total;
  }

  private tick(): void {
    const now = Date.now();
    const lateMs = now - this.lastTick - TICK_MS;
    this.lastTick = now;
    if (lateMs < NOISE_MS) return;
    this.stalls.push([now, lateMs]);
    if (this.stalls.length > KEPT) this.stalls.shift();
  }
}

/** One per process: every service client reads the same loop. */
export const loopStalls = new LoopStalls();
