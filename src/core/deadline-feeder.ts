import { Clock, TimerHandle } from './clock';

/** An engine that is fed time and says when it next needs it. */
export interface TimeFed {
  feedTime(now: number): void;
  nextDeadline(): number | undefined;
}

/**
 * Feeds a set of engines from one Clock with a single timer: the earliest of
 * their deadlines. Engines call changed() after each input (their deadline may
 * have moved earlier); a later deadline is picked up when the timer fires.
 */
export class DeadlineFeeder {
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly engines = new Set<TimeFed>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  add(engine: TimeFed): void {
    this.engines.add(engine);
    this.changed(engine);
  }

  changed(engine: TimeFed): void {
    if (this.closed) return;
    const d = engine.nextDeadline();
    if (d !== undefined && d < this.timerAt) this.arm(d);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.engines) {
      const d = e.nextDeadline();
      if (d !== undefined && d <= now) e.feedTime(now);
    }
    for (const e of this.engines) {
      const d = e.nextDeadline();
      if (d !== undefined && d < next) next = d;
    }
    if (!this.closed && next < this.timerAt) this.arm(next);
  }
}
