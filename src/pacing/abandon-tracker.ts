/**
 * Abandoned calls over answered calls, as a live controller counts them: over the
 * campaign's life and over a rolling window (one hour by default). Calls the
 * customer hung up on before a seat was free are not counted either way.
 */
export class AbandonTracker {
  answered = 0;
  abandoned = 0;
  private readonly recent: { at: number; abandoned: boolean }[] = [];
  private head = 0;
  private windowAbandoned = 0;

  constructor(readonly windowMs = 3_600_000) {}

  record(at: number, abandoned: boolean): void {
    this.answered++;
    if (abandoned) this.abandoned++;
    this.recent.push({ at, abandoned });
    if (abandoned) this.windowAbandoned++;
    this.expire(at);
  }

  lifetimeRate(): number {
    return this.answered ? this.abandoned / this.answered : 0;
  }

  /** Counts in the window that ends now. */
  window(now: number): { answered: number; abandoned: number } {
    this.expire(now);
    return { answered: this.recent.length - this.head, abandoned: this.windowAbandoned };
  }

  private expire(now: number): void {
    while (this.head < this.recent.length && this.recent[this.head].at <= now - this.windowMs) {
      if (this.recent[this.head].abandoned) this.windowAbandoned--;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.recent.length) {
      this.recent.splice(0, this.head);
      this.head = 0;
    }
  }
}
