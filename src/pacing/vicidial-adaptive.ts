import { AbandonTracker } from './abandon-tracker';
import { clampDial, Pacer, PacingDecision, PacingObservation, PacingSnapshot } from './pacer';

/**
 * A dial level (lines per ready seat) raised and lowered by a periodic job, after
 * VICIdial's public description of its adaptive modes (ADAPT_HARD_LIMIT here):
 * every 15 s it compares the campaign's drop percentage with the limit and the
 * seats left waiting with the calls left waiting, and moves the dial level toward
 * what would have balanced them; once the drop percentage reaches the limit the
 * level falls back to 1 until it is under again. Written from that description,
 * not from VICIdial's code.
 */
export interface VicidialAdaptiveOptions {
  dropTarget?: number;
  maxDialLevel?: number;
  /** Seats-waiting minus calls-waiting the level aims for (VICIdial's "DL diff target"). */
  diffTarget?: number;
  /** Positive: climb faster, fall slower; negative: the reverse (VICIdial's intensity modifier, -20..20). */
  intensity?: number;
  intervalMs?: number;
}

export class VicidialAdaptivePacer implements Pacer {
  readonly name = 'vicidial-adaptive';
  private dialLevel = 1;
  private nextAdjustAt: number | undefined;
  private readonly drops = new AbandonTracker();
  private readySum = 0;
  private waitingSum = 0;
  private samples = 0;
  private lastSampleAt: number | undefined;
  private readonly opts: Required<VicidialAdaptiveOptions>;

  constructor(opts: VicidialAdaptiveOptions = {}) {
    this.opts = { dropTarget: 0.03, maxDialLevel: 3, diffTarget: 0, intensity: 0, intervalMs: 15_000, ...opts };
  }

  get level(): number {
    return this.dialLevel;
  }

  decide(s: PacingSnapshot): PacingDecision {
    this.sample(s);
    if (this.nextAdjustAt === undefined) this.nextAdjustAt = s.now + this.opts.intervalMs;
    if (s.now >= this.nextAdjustAt) {
      this.adjust(s);
      this.nextAdjustAt = s.now + this.opts.intervalMs;
    }
    const seatsFree = Math.max(0, s.readySeats - s.waitingAnswered);
    const wanted = Math.round(seatsFree * this.dialLevel);
    return { dial: clampDial(wanted - s.dialingAges.length, s.capacity), note: `dial level ${this.dialLevel.toFixed(2)}` };
  }

  observe(o: PacingObservation): void {
    if (o.type === 'answer-routed' && o.outcome !== 'lost') this.drops.record(o.at, o.outcome === 'abandoned');
  }

  /** Time-weighted averages of seats waiting and calls waiting since the last adjustment. */
  private sample(s: PacingSnapshot): void {
    const dt = this.lastSampleAt === undefined ? 0 : s.now - this.lastSampleAt;
    this.lastSampleAt = s.now;
    this.readySum += s.readySeats * dt;
    this.waitingSum += s.waitingAnswered * dt;
    this.samples += dt;
  }

  private adjust(s: PacingSnapshot): void {
    const dropRate = this.drops.lifetimeRate();
    const avgReady = this.samples ? this.readySum / this.samples : s.readySeats;
    const avgWaiting = this.samples ? this.waitingSum / this.samples : 0;
    this.readySum = this.waitingSum = this.samples = 0;
    if (this.drops.answered >= 20 && dropRate >= this.opts.dropTarget) {
      this.dialLevel = 1; // hard limit: stop over-dialling until the drop rate is back under
      return;
    }
    const seats = Math.max(1, s.loggedInSeats);
    // Seats idle on average: the level was too low; calls waiting: too high.
    const imbalance = (avgReady - avgWaiting - this.opts.diffTarget) / seats;
    let step = imbalance * this.dialLevel;
    const k = 1 + this.opts.intensity / 20;
    step = step > 0 ? step * k : step / Math.max(0.05, k);
    // Near the limit the climb tapers off.
    const headroom = this.opts.dropTarget > 0 ? Math.max(0, 1 - dropRate / this.opts.dropTarget) : 0;
    if (step > 0) step *= headroom;
    this.dialLevel = Math.min(this.opts.maxDialLevel, Math.max(1, this.dialLevel + step));
  }
}
