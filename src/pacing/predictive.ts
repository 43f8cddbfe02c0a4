import { InputError } from '../core/errors';
import { AbandonTracker } from './abandon-tracker';
import { SeatForecast } from './seat-forecast';
import { DurationModel, SettleTimeModel } from './duration-models';
import { PacerModel, parsePacerModel } from './pacer-model';
import { ReleaseRows } from './release-rows';
import { clampDial, Pacer, PacingDecision, PacingObservation, PacingSnapshot } from './pacer';

// Math's functions held locally: hot loops run fast even where globals are slow to reach (jest's vm context).
const { ceil, exp, floor, log, max, min } = Math;

/**
 * trunkpilot's predictive pacer.
 *
 * At each decision it forecasts, second by second over the next half minute or
 * so, how many answered calls will want a seat (each ringing call's chance of
 * being answered then, given how long it has rung) and how many seats will come
 * free (each talking or wrapping seat's chance of finishing then, given how long
 * it has been at it), and carries the count of free seats forward as a
 * distribution (SeatForecast): an answer that finds none is lost. The expected
 * number lost with n more calls dialled now, minus that with n - 1, is the n-th
 * call's marginal risk; calls are dialled while that risk, per answer, stays
 * under a threshold.
 *
 * The threshold is steered by feedback: every answered call nudges it up when it
 * was connected and down when it was abandoned, so the measured rate settles on a
 * setpoint below the target; and it is cut back when the campaign's life-time rate
 * nears the target, or the rolling hour's rate, counting one more abandon, passes
 * 60% of the window cap (down to progressive dialling at 90% of it; the cap is 5% by
 * default, the benchmark's worst-hour rule, and may be set to the target). While a guard is cutting back, connected
 * calls do not nudge the threshold up (it would wind up and burst when the guard
 * lets go). Until it has enough history it dials progressively (one call per ready
 * seat), which abandons nothing.
 */
export interface PredictiveOptions {
  /** The legal limit on abandoned / answered (default 3%). */
  abandonTarget?: number;
  /** Where the feedback aims, as a share of the target (default 0.8). */
  setpointShare?: number;
  /** How long an answered call may wait for a seat (s). */
  abandonAfterSec?: number;
  /** The rolling window the rate must also hold over (default one hour). */
  windowMs?: number;
  /**
   * The most the rolling window's rate may reach (default 5%, the benchmark's rule
   * for the worst hour). Set it to the target to hold every hour to the target.
   */
  windowCap?: number;
  /** The window guard starts cutting back at this share of the cap (default 0.6)... */
  windowGuardFrom?: number;
  /** ...and is down to progressive dialling at this share (default 0.9: an hour of a small pool moves a percent per abandon). */
  windowGuardTo?: number;
  /**
   * The window guard waits for this many answered calls in the window (default 0).
   * A campaign sharing its seats may have too few of its own for one abandon more
   * to say anything, and at progressive dialling it would get no seats to learn on.
   */
  windowGuardMinAnswered?: number;
  /**
   * Abandons the window guard keeps spare below the cap (default 1): it is down to
   * progressive dialling before the window, counting one more abandon, is within
   * this many of the cap. It bites only where an hour has few answers (8 seats:
   * about 80, so one abandon is 1.25 points); with 200 or more the 90% rule is the
   * tighter one.
   */
  windowGuardSpare?: number;
  /** Feedback gain per answered call. */
  gain?: number;
  /**
   * Marginal risk allowed at the start, before feedback has anything to go on.
   * In the shipped scenarios a marginal limit of about four times the target gives
   * an abandoned share near the setpoint, so that is the default.
   */
  initialThreshold?: number;
}

export class PredictivePacer implements Pacer {
  readonly name = 'predictive';
  private readonly settle = new SettleTimeModel();
  private readonly talk = new DurationModel();
  private readonly wrap = new DurationModel(400, 500, 600_000);
  private readonly tracker: AbandonTracker;
  private readonly target: number;
  private readonly windowCap: number;
  private readonly windowGuardFrom: number;
  private readonly windowGuardTo: number;
  private readonly windowGuardMinAnswered: number;
  private readonly windowGuardSpare: number;
  private readonly setpoint: number;
  private readonly graceMs: number;
  private readonly gain: number;
  private logThreshold: number;
  private rebuiltAt = Number.NEGATIVE_INFINITY;
  private wrapQuantiles: number[] = [0];
  /** Per-bin work rows, reused from one decision to the next (a horizon is at most 120 one-second bins). */
  /**
   * Release rows by age cell (see ReleaseRows), until the next rebuild of the
   * duration models: most seats' ages fall in cells already worked out for another
   * seat or an earlier decision, and the rows are most of a decision's cost.
   */
  private readonly talkRows = new ReleaseRows(1000, 1800);
  private readonly wrapRows = new ReleaseRows(500, 1200);
  private rowStep = 0;
  /** Started from a kept model, and the settles seen since (see importModel). */
  private warmStarted = false;
  /** The first decision's time: the first rolling window fills from there. */
  private startedAt = Number.NEGATIVE_INFINITY;
  private liveSettles = 0;
  private readonly bins = { answers: new Float64Array(121), releases: new Float64Array(121), fresh: new Float64Array(121) };

  constructor(opts: PredictiveOptions = {}) {
    this.target = opts.abandonTarget ?? 0.03;
    this.windowCap = opts.windowCap ?? 0.05;
    this.windowGuardFrom = opts.windowGuardFrom ?? 0.6;
    this.windowGuardTo = opts.windowGuardTo ?? 0.9;
    this.windowGuardMinAnswered = opts.windowGuardMinAnswered ?? 0;
    this.windowGuardSpare = opts.windowGuardSpare ?? 1;
    if (!(this.windowCap > 0 && this.windowCap <= 1))
      throw new InputError('window cap', `must be a share above 0 and at most 1, got ${opts.windowCap}`);
    this.setpoint = this.target * (opts.setpointShare ?? 0.8);
    this.graceMs = (opts.abandonAfterSec ?? 2) * 1000;
    this.gain = opts.gain ?? 0.1;
    this.tracker = new AbandonTracker(opts.windowMs ?? 3_600_000);
    this.logThreshold = log(opts.initialThreshold ?? this.target * 4);
  }

  exportModel(): PacerModel {
    const { settleMs, answered } = this.settle.entries();
    return {
      version: 1,
      pacer: 'predictive',
      settleMs,
      answered,
      talkMs: this.talk.entries(),
      wrapMs: this.wrap.entries(),
      logThreshold: this.logThreshold,
    };
  }

  /**
   * Warm start: the kept durations fill the talk and wrap-up models as if they had
   * just been seen, the newest kept settle times a part of the settle model, and the
   * threshold starts where feedback had taken it. The kept settles may be from
   * another hour's traffic (answer rates drift over a day): a fifth of the window
   * is all they get, so live ones outweigh them within minutes, and the pacer dials
   * progressively until WARM_LIVE_SETTLES of its own have confirmed them (an
   * opening burst on a stale answer rate, with every seat free, drops calls that
   * the life-time guard then makes the rest of the hour pay for). The campaign's own
   * abandon counts start at zero.
   */
  importModel(model: PacerModel): void {
    const m = parsePacerModel(model);
    const keep = max(0, m.settleMs.length - WARM_SETTLES_KEPT);
    for (let i = keep; i < m.settleMs.length; i++) this.settle.add(m.settleMs[i], m.answered[i]);
    for (const ms of m.talkMs) this.talk.add(ms);
    for (const ms of m.wrapMs) this.wrap.add(ms);
    this.logThreshold = min(log(0.5), max(log(0.001), m.logThreshold));
    this.rebuiltAt = Number.NEGATIVE_INFINITY;
    this.warmStarted = true;
  }

  /** The marginal-risk threshold in force (after the life-time and window guards). */
  threshold(now: number): number {
    return exp(this.logThreshold) * this.guards(now);
  }

  /** The life-time and window guards together: 1 when neither is cutting back. */
  private guards(now: number): number {
    return min(this.guard(this.tracker.abandoned, this.tracker.answered, 60, this.setpoint, this.target, 0.1), this.windowGuard(now));
  }

  observe(o: PacingObservation): void {
    switch (o.type) {
      case 'attempt-settled':
        this.settle.add(o.at - o.dialledAt, o.answered);
        this.liveSettles++;
        return;
      case 'answer-routed': {
        if (o.outcome === 'lost') return;
        const abandoned = o.outcome === 'abandoned';
        this.tracker.record(o.at, abandoned);
        // Equilibrium where the abandoned share equals the setpoint; no upward nudge while a guard holds the pace down.
        if (abandoned || this.guards(o.at) >= 1)
          this.logThreshold += (this.gain * (this.setpoint - (abandoned ? 1 : 0))) / (1 - this.setpoint);
        this.logThreshold = min(log(0.5), max(log(0.001), this.logThreshold));
        return;
      }
      case 'talk-ended':
        this.talk.add(o.talkMs);
        return;
      case 'wrap-ended':
        this.wrap.add(o.wrapMs);
        return;
    }
  }

  decide(s: PacingSnapshot): PacingDecision {
    if (this.startedAt === Number.NEGATIVE_INFINITY) this.startedAt = s.now;
    const seatsFree = max(0, s.readySeats - s.waitingAnswered);
    const progressive = clampDial(seatsFree - s.dialingAges.length, s.capacity);
    if (!this.learned()) return { dial: progressive, note: 'learning: progressive' };
    if (s.capacity <= 0) return { dial: 0, note: 'no capacity' };
    const step = forecastStep(s.loggedInSeats);
    const bins = max(1, ceil(this.horizonMs() / step));
    // Per bin of the horizon: expected answers (from ringing calls, and per fresh call)
    // and expected seat releases (shifted by the grace an answered call may wait).
    const answers = this.bins.answers.subarray(0, bins).fill(0);
    const releases = this.bins.releases.subarray(0, bins).fill(0);
    const fresh = this.bins.fresh.subarray(0, bins).fill(0);
    this.addRinging(s.dialingAges, step, answers);
    const releasesAtStart = this.addSeatReleases(s, step, releases);
    const freshAnswer = this.addFreshCall(step, fresh);
    if (freshAnswer <= 1e-6) return { dial: progressive, note: 'no answers expected' };
    const forecast = new SeatForecast(max(1, s.loggedInSeats), s.readySeats - s.waitingAnswered, releasesAtStart, answers, releases, fresh);
    const shortfall = (n: number) => forecast.expectedLost(n);
    const limit = this.threshold(s.now);
    // Marginal risk grows with n: add calls while the last one's risk stays under the limit.
    // The calls progressive dialling would make are made anyway: the search starts there.
    let lo = progressive;
    let lostBefore = shortfall(lo);
    while (lo < s.capacity) {
      const lostAfter = shortfall(lo + 1);
      if ((lostAfter - lostBefore) / freshAnswer > limit) break;
      lo++;
      lostBefore = lostAfter;
    }
    const dial = max(lo, progressive);
    return { dial: clampDial(dial, s.capacity), note: `threshold ${(limit * 100).toFixed(2)}%` };
  }

  // The pieces of a forecast, also used by BlendedPacing to forecast several campaigns on one pool.

  /** Enough history to forecast (until then: progressive dialling). */
  learned(): boolean {
    if (this.warmStarted && this.liveSettles < WARM_LIVE_SETTLES) return false;
    return this.settle.size >= 100 && this.settle.answeredCount >= 20 && this.talk.size >= 10;
  }

  /** How far ahead answers are still possible (ms). */
  horizonMs(): number {
    return min(120_000, this.settle.maxAnswerMs() + 1000);
  }

  /** Adds each ringing call's chance of an answer per bin, given how long it has rung. */
  addRinging(dialingAges: readonly number[], step: number, out: Float64Array): void {
    for (const age of dialingAges) this.settle.addAnswerIncrements(age, step, out);
  }

  /** Puts one call dialled now's chance of an answer per bin into `out`; returns the total. */
  addFreshCall(step: number, out: Float64Array): number {
    return this.settle.addAnswerIncrements(0, step, out);
  }

  /**
   * Adds each busy seat's chance of coming free per bin, given how long it has
   * talked or wrapped up; returns the seats expected free within the grace.
   */
  addSeatReleases(s: PacingSnapshot, step: number, out: Float64Array): number {
    if (s.now - this.rebuiltAt >= REBUILD_EVERY_MS) {
      this.talk.rebuild(s.talkingAges);
      this.wrap.rebuild(s.wrapAges);
      this.wrapQuantiles = this.wrap.size ? this.wrap.quantiles(3) : [0];
      this.rebuiltAt = s.now;
      this.talkRows.clear(out.length + 1);
      this.wrapRows.clear(out.length + 1);
      this.rowStep = step;
    }
    if (step !== this.rowStep || out.length + 1 !== this.talkRows.width) {
      this.talkRows.clear(out.length + 1);
      this.wrapRows.clear(out.length + 1);
      this.rowStep = step;
    }
    let releasesAtStart = 0;
    for (const age of s.talkingAges) releasesAtStart += this.addRow(out, age, step, true);
    if (this.wrap.size) for (const age of s.wrapAges) releasesAtStart += this.addRow(out, age, step, false);
    return releasesAtStart;
  }

  /**
   * Adds the release row of the cell a talking (or wrapping) seat's `age` falls in
   * to `out`, working it out at the cell's middle when first asked; returns its
   * chance of a release within the grace.
   */
  private addRow(out: Float64Array, age: number, step: number, talking: boolean): number {
    const rows = talking ? this.talkRows : this.wrapRows;
    const width = out.length + 1;
    const cell = floor(age / rows.cellMs);
    let at: number;
    if (cell < rows.cells) {
      at = cell * width;
      if (rows.stamp[cell] !== rows.generation) {
        rows.stamp[cell] = rows.generation;
        const row = rows.table.subarray(at, at + width);
        if (talking) this.talkRow((cell + 0.5) * rows.cellMs, step, row);
        else this.wrapRow((cell + 0.5) * rows.cellMs, step, row);
      }
    } else {
      // Older than any row kept (half an hour's talk): worked out on its own.
      at = rows.cells * width;
      const row = rows.table.subarray(at, at + width);
      if (talking) this.talkRow(age, step, row);
      else this.wrapRow(age, step, row);
    }
    const table = rows.table;
    for (let k = 0; k < out.length; k++) out[k] += table[at + k + 1];
    return table[at];
  }

  /**
   * Into `row`: the chance that a seat talking for `age` is ready again within the
   * grace an answer may wait (row[0]), then during each bin after it (row[k + 1]):
   * talk end, then a wrap-up.
   */
  private talkRow(age: number, step: number, row: Float64Array): void {
    const sa = this.talk.survive(age);
    let prev = this.readyAfterTalk(age, sa, this.graceMs);
    row[0] = prev;
    for (let k = 1; k < row.length; k++) {
      const p = this.readyAfterTalk(age, sa, k * step + this.graceMs);
      row[k] = max(0, p - prev);
      prev = p;
    }
  }

  /** As talkRow for a seat `age` into its wrap-up. */
  private wrapRow(age: number, step: number, row: Float64Array): void {
    let prev = this.wrap.endWithin(age, this.graceMs);
    row[0] = prev;
    for (let k = 1; k < row.length; k++) {
      const p = this.wrap.endWithin(age, k * step + this.graceMs);
      row[k] = max(0, p - prev);
      prev = p;
    }
  }

  /** P(a seat that has talked for `age` (survival `sa` there) is ready again within `within`): talk end, then wrap-up. */
  private readyAfterTalk(age: number, sa: number, within: number): number {
    const ws = this.wrapQuantiles;
    let p = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (within > w) p += sa <= 1e-9 ? 1 : max(0, 1 - this.talk.survive(age + within - w) / sa);
    }
    return p / ws.length;
  }

  /** 1 while `abandoned/answered` (with `prior` answered calls of slack) is under `from`, falling to `floor` at `to`. */
  private guard(abandoned: number, answered: number, prior: number, from: number, to: number, floor: number): number {
    const rate = abandoned / (answered + prior);
    if (rate <= from) return 1;
    return max(floor, 1 - ((1 - floor) * (rate - from)) / max(1e-6, to - from));
  }

  /**
   * The rolling hour must hold its cap too (5% by default, or the target itself),
   * and it is noisy: a busy minute can drop several calls at once, an abandon stays
   * in the window for the hour, and in a small pool one abandon is most of a
   * percent. So the window is judged as if one more call were dropped now; it
   * starts cutting back at 60% of the cap and is down to progressive dialling (a
   * zero threshold) at 90% of it.
   */
  private windowGuard(now: number): number {
    const w = this.tracker.window(now);
    if (w.answered < this.windowGuardMinAnswered) return 1;
    const answered = max(1, w.answered);
    // In a small pool's hour (80 answers at 8 seats) one abandon is a point and a quarter: progressive
    // dialling must start an abandon short of the cap (calls already ringing may still drop one), with
    // the guard's usual span below that.
    // The spare is judged against an hour's answers at the pace so far (the first window is still filling):
    // a large pool's first minutes hold few answers too, but its hour will not.
    const elapsed = now - this.startedAt;
    const hourly = elapsed > 0 && elapsed < this.tracker.windowMs ? (w.answered * this.tracker.windowMs) / elapsed : w.answered;
    const to = min(this.windowCap * this.windowGuardTo, this.windowCap - this.windowGuardSpare / max(1, hourly));
    const from = to - this.windowCap * (this.windowGuardTo - this.windowGuardFrom);
    return this.guard(w.abandoned + 1, answered, 0, from, to, 0);
  }
}

/** Of a kept model's settles, the newest this many warm-start the settle model (a fifth of its window)... */
const WARM_SETTLES_KEPT = 120;
/** ...and the pacer dials progressively until it has seen this many of its own. */
const WARM_LIVE_SETTLES = 40;

/**
 * The duration models are refitted (with the running seats as censored) this often:
 * a window of 400 durations moves little in a quarter minute, and every refit
 * throws the release rows away.
 */
const REBUILD_EVERY_MS = 15_000;

/**
 * Forecast bins: a second for a small pool, coarser for large ones (the forecast's
 * cost grows with the pool). From 49 seats, 3 s: on the 64-seat day (seeds 1-3) the
 * same occupancy and worst hour as 2 s, for a tenth less time.
 */
export function forecastStep(seats: number): number {
  return seats > 48 ? 3000 : seats > 24 ? 2000 : 1000;
}
