/**
 * Retries at most `percent` of calls, plus a small floor per second, so an
 * upstream that always fails sees about (1 + percent/100)x its calls, not
 * (1 + RETRIES)x: a token bucket filled by calls and by time, drained by retries.
 */
export interface RetryBudgetSettings {
  readonly percent: number;
  readonly minPerSecond: number;
}

export class RetryBudget {
  private tokens: number;
  private refilledAt: number;
  private readonly capacity: number;

  constructor(
    private readonly settings: RetryBudgetSettings,
    private readonly now: () => number = Date.now,
  ) {
    // Enough for a short burst of retries, never a storm.
    this.capacity = Math.max(settings.minPerSecond, 10);
    this.tokens = settings.minPerSecond;
    this.refilledAt = now();
  }

  /** Every call (first attempt) earns a fraction of a retry. */
  onCall(): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens + this.settings.percent / 100);
  }

  /** Takes one retry from the budget, if there is one. */
  tryRetry(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    const seconds = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + seconds * this.settings.minPerSecond);
  }
}
