/**
 * What the predictive pacer learns from its own history: how soon a dialled call
 * is answered (if at all), how long seats talk and wrap up. Each model keeps a
 * bounded window of recent observations so it follows drift during the day, and
 * answers conditional questions ("this call has rung 9 s: how likely is it to be
 * answered in the next 5 s?") from a precomputed grid, so a decision is cheap.
 */

// Math's functions held locally: hot loops run fast even where globals are slow to reach (jest's vm context).
const { ceil, exp, floor, max, min } = Math;
/** Infinity held locally too (a global read in a hot loop is slow under jest's vm context). */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * Time from dial to settlement, and whether the call was answered. A histogram
 * by grid cell is kept up to date as calls settle and leave the window; the
 * cumulative counts the questions read are summed again only when asked after a
 * change.
 */
export class SettleTimeModel {
  private readonly settleMs: number[] = [];
  private readonly answered: boolean[] = [];
  private next = 0;
  private dirty = true;
  /** Per grid cell: settled calls, and answered ones, in the window. */
  private settledHist = new Int32Array(64);
  private answeredHist = new Int32Array(64);
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
      const old = this.histCell(this.settleMs[this.next]);
      this.settledHist[old]--;
      if (this.answered[this.next]) {
        this.answeredCount--;
        this.answeredHist[old]--;
      }
      this.settleMs[this.next] = settleMs;
      this.answered[this.next] = answered;
      this.next = (this.next + 1) % this.windowSize;
    }
    const c = this.histCell(settleMs);
    if (c >= this.settledHist.length) {
      const size = max(c + 1, this.settledHist.length * 2);
      const grow = (h: Int32Array) => {
        const g = new Int32Array(size);
        g.set(h);
        return g;
      };
      this.settledHist = grow(this.settledHist);
      this.answeredHist = grow(this.answeredHist);
    }
    this.settledHist[c]++;
    if (answered) {
      this.answeredCount++;
      this.answeredHist[c]++;
    }
    this.dirty = true;
  }

  /** The window's settles, oldest first. */
  entries(): { settleMs: number[]; answered: boolean[] } {
    const order = (xs: readonly unknown[]) => [...xs.slice(this.next), ...xs.slice(0, this.next)];
    return { settleMs: order(this.settleMs) as number[], answered: order(this.answered) as boolean[] };
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

  /**
   * Adds to `out[k]` the chance that a call unsettled at `ageMs` is answered in
   * (age + k step, age + (k + 1) step]; returns the chance it is answered within
   * the whole span. One pass for all bins (the pacer asks this for every ringing call).
   */
  addAnswerIncrements(ageMs: number, stepMs: number, out: Float64Array): number {
    this.build();
    const a = this.cell(ageMs);
    const open = this.settleMs.length - this.settledCum[a];
    if (open <= 0) return 0;
    const cum = this.answeredCum;
    const base = cum[a];
    let prev = 0;
    for (let k = 0; k < out.length; k++) {
      const p = (cum[this.cell(ageMs + (k + 1) * stepMs)] - base) / open;
      out[k] += p - prev;
      prev = p;
    }
    return prev;
  }

  private histCell(ms: number): number {
    return max(0, floor(ms / this.gridMs));
  }

  private cell(ms: number): number {
    return min(this.cells - 1, max(0, floor(ms / this.gridMs)));
  }

  private build(): void {
    if (!this.dirty) return;
    this.dirty = false;
    // Cells up to one past the longest settle seen, and one more: beyond it the counts are flat.
    let top = this.settledHist.length - 1;
    while (top > 0 && this.settledHist[top] === 0) top--;
    this.cells = top + 3;
    if (this.answeredCum.length !== this.cells) {
      this.answeredCum = new Float64Array(this.cells);
      this.settledCum = new Float64Array(this.cells);
    }
    let settled = 0;
    let answered = 0;
    for (let i = 0; i < this.cells; i++) {
      if (i <= top) {
        settled += this.settledHist[i];
        answered += this.answeredHist[i];
      }
      this.settledCum[i] = settled;
      this.answeredCum[i] = answered;
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
  /** The finished durations in order, as of the last rebuild. */
  private sortedDone: Float64Array = new Float64Array(0);
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

  /** The window's finished durations, oldest first. */
  entries(): number[] {
    return [...this.done.slice(this.next), ...this.done.slice(0, this.next)];
  }

  /** Recomputes the curve; `runningAges` are durations still in progress (censored). */
  rebuild(runningAges: readonly number[]): void {
    // Finished and running durations, each sorted; merged in time order, a finish before a censoring at a tie.
    const done = sortedCopy(this.done);
    const running = sortedCopy(runningAges);
    this.sortedDone = done;
    const cells = ceil(this.maxMs / this.gridMs) + 1;
    const s = this.survival.length === cells ? this.survival : new Float64Array(cells);
    let atRisk = done.length + running.length;
    let surv = 1;
    let d = 0;
    let r = 0;
    for (let c = 0; c < cells; c++) {
      const t = c * this.gridMs;
      for (;;) {
        const nextDone = d < done.length ? done[d] : NEVER;
        const nextRunning = r < running.length ? running[r] : NEVER;
        if (nextDone <= nextRunning && nextDone <= t) {
          if (atRisk > 0) surv *= 1 - 1 / atRisk;
          d++;
        } else if (nextRunning < nextDone && nextRunning <= t) r++;
        else break;
        atRisk--;
      }
      s[c] = surv;
    }
    this.survival = s;
    let sum = 0;
    for (let i = 0; i < done.length; i++) sum += done[i];
    const mean = done.length ? sum / done.length : 60_000;
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

  /** A few evenly spaced quantiles of the finished durations (for convolving), as of the last rebuild. */
  quantiles(n: number): number[] {
    const sorted = this.sortedDone;
    if (!sorted.length) return [0];
    return Array.from({ length: n }, (_, i) => sorted[min(sorted.length - 1, floor(((i + 0.5) / n) * sorted.length))]);
  }
}

function sortedCopy(xs: readonly number[]): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i];
  return out.sort();
}
