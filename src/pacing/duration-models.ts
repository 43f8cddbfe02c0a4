/**
 * What the predictive pacer learns from its own history: how soon a dialled call
 * is answered (if at all), how long seats talk and wrap up. Each model keeps a
 * bounded window of recent observations so it follows drift during the day, and
 * answers conditional questions ("this call has rung 9 s: how likely is it to be
 * answered in the next 5 s?") from a precomputed grid, so a decision is cheap.
 */

// Math's functions held locally: hot loops run fast even where globals are slow to reach (jest's vm context).
const { ceil, exp, floor, max, min } = Math;

/** Time from dial to settlement, and whether the call was answered. */
export class SettleTimeModel {
  private readonly settleMs: number[] = [];
  private readonly answered: boolean[] = [];
  private next = 0;
  private dirty = true;
  private answeredCum: Float64Array = new Float64Array(1);
  private settledCum: Float64Array = new Float64Array(1);
  private cells = 1;
  answeredCount = 0;

  constructor(
    readonly windowSize = 600,
    readonly gridMs = 500,
  ) {}

  get size(): number {
    return this.settleMs.length;
  }

  add(settleMs: number, answered: boolean): void {
    if (this.settleMs.length < this.windowSize) {
      this.settleMs.push(settleMs);
      this.answered.push(answered);
    } else {
      if (this.answered[this.next]) this.answeredCount--;
      this.settleMs[this.next] = settleMs;
      this.answered[this.next] = answered;
      this.next = (this.next + 1) % this.windowSize;
    }
    if (answered) this.answeredCount++;
    this.dirty = true;
  }

  /** Longest time to answer seen in the window (ms). */
  maxAnswerMs(): number {
    this.build();
    for (let i = this.cells - 1; i > 0; i--) if (this.answeredCum[i] !== this.answeredCum[i - 1]) return i * this.gridMs;
    return 0;
  }

  /** P(answered in (age, age + within] | not settled by age). */
  answerWithin(ageMs: number, withinMs: number): number {
    this.build();
    const a = this.cell(ageMs);
    const open = this.settleMs.length - this.settledCum[a];
    if (open <= 0) return 0;
    return (this.answeredCum[this.cell(ageMs + withinMs)] - this.answeredCum[a]) / open;
  }

  private cell(ms: number): number {
    return min(this.cells - 1, max(0, floor(ms / this.gridMs)));
  }

  private build(): void {
    if (!this.dirty) return;
    this.dirty = false;
    let longest = 0;
    for (const s of this.settleMs) longest = max(longest, s);
    this.cells = ceil(longest / this.gridMs) + 2;
    this.answeredCum = new Float64Array(this.cells);
    this.settledCum = new Float64Array(this.cells);
    for (let i = 0; i < this.settleMs.length; i++) {
      const c = this.cell(this.settleMs[i]);
      this.settledCum[c]++;
      if (this.answered[i]) this.answeredCum[c]++;
    }
    for (let i = 1; i < this.cells; i++) {
      this.answeredCum[i] += this.answeredCum[i - 1];
      this.settledCum[i] += this.settledCum[i - 1];
    }
  }
}

/**
 * A duration (talk, wrap-up) as a survival curve: Kaplan-Meier over finished
 * durations, with the ages of those still running counted as censored, so that a
 * young campaign does not believe only its short calls.
 */
export class DurationModel {
  private readonly done: number[] = [];
  private next = 0;
  private survival: Float64Array = new Float64Array([1]);
  private tailMeanMs = 60_000;

  constructor(
    readonly windowSize = 400,
    readonly gridMs = 1000,
    readonly maxMs = 1_800_000,
  ) {}

  get size(): number {
    return this.done.length;
  }

  add(ms: number): void {
    if (this.done.length < this.windowSize) this.done.push(ms);
    else {
      this.done[this.next] = ms;
      this.next = (this.next + 1) % this.windowSize;
    }
  }

  /** Recomputes the curve; `runningAges` are durations still in progress (censored). */
  rebuild(runningAges: readonly number[]): void {
    const events: [number, number][] = this.done.map((d) => [d, 1]);
    for (const a of runningAges) events.push([a, 0]);
    events.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
    const cells = ceil(this.maxMs / this.gridMs) + 1;
    const s = new Float64Array(cells);
    let atRisk = events.length;
    let surv = 1;
    let e = 0;
    for (let c = 0; c < cells; c++) {
      const t = c * this.gridMs;
      while (e < events.length && events[e][0] <= t) {
        if (events[e][1] === 1 && atRisk > 0) surv *= 1 - 1 / atRisk;
        atRisk--;
        e++;
      }
      s[c] = surv;
    }
    this.survival = s;
    const mean = this.done.length ? this.done.reduce((x, y) => x + y, 0) / this.done.length : 60_000;
    this.tailMeanMs = max(this.gridMs, mean);
  }

  /** P(duration > ms). Beyond the grid the tail decays exponentially. */
  survive(ms: number): number {
    if (ms <= 0) return 1;
    const c = floor(ms / this.gridMs);
    if (c < this.survival.length) return this.survival[c];
    const last = this.survival[this.survival.length - 1];
    return last * exp(-(ms - this.maxMs) / this.tailMeanMs);
  }

  /** P(ends by age + within | still running at age). */
  endWithin(ageMs: number, withinMs: number): number {
    const sa = this.survive(ageMs);
    if (sa <= 1e-9) return 1;
    return max(0, 1 - this.survive(ageMs + withinMs) / sa);
  }

  /** A few evenly spaced quantiles of the finished durations (for convolving). */
  quantiles(n: number): number[] {
    if (!this.done.length) return [0];
    const sorted = [...this.done].sort((a, b) => a - b);
    return Array.from({ length: n }, (_, i) => sorted[min(sorted.length - 1, floor(((i + 0.5) / n) * sorted.length))]);
  }
}
