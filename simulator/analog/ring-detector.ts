import { SAMPLE_RATE } from '../audio/signals';

/**
 * The board's ring detector, as a model: it watches the line voltage on-hook,
 * counts polarity transitions of the AC part (the deviation from the idle battery
 * level, with hysteresis), and measures the ringing's RMS voltage and frequency
 * over whole cycles. It reports a ring only after more than two transitions (a
 * single-polarity neon pulse never qualifies) and only inside the accepted window.
 */
export interface RingWindow {
  minVrms: number;
  maxVrms: number;
  minHz: number;
  maxHz: number;
}

/** The seed board: 30-130 Vrms at 15-68 Hz. */
export const SEED_RING_WINDOW: RingWindow = { minVrms: 30, maxVrms: 130, minHz: 15, maxHz: 68 };

export interface RingDetectorOptions {
  window?: RingWindow;
  /** Deviation from the idle level that arms a transition (V). */
  hysteresisV?: number;
  /** Cycles measured before deciding (default 4). */
  measureCycles?: number;
  /** No transition for this long ends a ring (ms). */
  ringOffDebounceMs?: number;
}

export type RingDetectorEvent = 'ring-begin' | 'ring-end';

export interface RingMeasurement {
  vrms: number;
  hz: number;
  accepted: boolean;
}

export class BoardRingDetector {
  private readonly win: RingWindow;
  private readonly hyst: number;
  private readonly cycles: number;
  private readonly offSamples: number;
  private idleLevel: number | undefined;
  private sign = 0;
  private n = 0;
  private prevDev = 0;
  private lastTransition = -Infinity;
  private transitions = 0;
  /** Fractional sample times of rising zero crossings in the current measurement. */
  private rising: number[] = [];
  /** The latest upward zero crossing (noise can make several per cycle; one counts). */
  private lastZeroUp = 0;
  /** Deviation samples since the first rising crossing. */
  private recorded: number[] = [];
  /** The last few hundred deviation samples (a quarter cycle at 15 Hz fits easily). */
  private history: number[] = [];
  private recordFrom = 0;
  private ringing = false;
  private decided = false;
  /** The last measurement (for the benchmark and diagnostics). */
  lastMeasurement: RingMeasurement | undefined;

  constructor(opts: RingDetectorOptions = {}) {
    this.win = opts.window ?? SEED_RING_WINDOW;
    this.hyst = opts.hysteresisV ?? 10;
    this.cycles = opts.measureCycles ?? 4;
    this.offSamples = Math.round(((opts.ringOffDebounceMs ?? 200) * SAMPLE_RATE) / 1000);
  }

  /** Feeds line-voltage samples (V, 8 kHz); returns ring-begin / ring-end as they happen. */
  feed(volts: Float32Array): RingDetectorEvent[] {
    const out: RingDetectorEvent[] = [];
    for (let i = 0; i < volts.length; i++, this.n++) {
      const v = volts[i];
      // The idle level follows drift: quickly near it, very slowly (10 s) across a
      // step, so a half-second neon pulse cannot drag it along and fake an alternation.
      if (this.idleLevel === undefined) this.idleLevel = v;
      const near = Math.abs(v - this.idleLevel) < this.hyst;
      if (this.n - this.lastTransition > this.offSamples) this.idleLevel += (v - this.idleLevel) * (near ? 0.002 : 1 / (10 * SAMPLE_RATE));
      const dev = v - this.idleLevel;
      if (this.prevDev < 0 && dev >= 0) this.lastZeroUp = this.n - 1 + -this.prevDev / (dev - this.prevDev);
      this.history.push(dev);
      if (this.history.length > 400) this.history.splice(0, 200);
      if (this.rising.length > 0 && !this.decided) this.recorded.push(dev);
      this.prevDev = dev;
      const s = dev > this.hyst ? 1 : dev < -this.hyst ? -1 : 0;
      if (s !== 0 && s !== this.sign) {
        if (this.sign !== 0) {
          this.transitions++;
          this.lastTransition = this.n;
          // A negative-to-positive swing through the hysteresis: one cycle starts at its zero crossing.
          // (Only a crossing from this swing: a stale one would stretch the first cycle.)
          if (s === 1 && this.n - this.lastZeroUp < 400) {
            if (this.rising.length === 0) this.startRecording();
            this.rising.push(this.lastZeroUp);
          }
        }
        this.sign = s;
      }
      if (!this.decided && this.rising.length > this.cycles) this.measure(out);
      if (this.n - this.lastTransition > this.offSamples && (this.ringing || this.transitions > 0 || this.rising.length > 0))
        this.endBurst(out);
    }
    return out;
  }

  /** Starts keeping samples at the crossing just seen (it lies a few samples back). */
  private startRecording(): void {
    this.recordFrom = Math.ceil(this.lastZeroUp);
    this.recorded = this.history.slice(this.history.length - (this.n - this.recordFrom));
  }

  private measure(out: RingDetectorEvent[]): void {
    const first = this.rising[0];
    const last = this.rising[this.rising.length - 1];
    const hz = ((this.rising.length - 1) * SAMPLE_RATE) / (last - first);
    // Whole cycles only: from the first rising crossing to the last (the ends are near zero).
    const end = Math.min(this.recorded.length, Math.floor(last) - this.recordFrom + 1);
    let sumSq = 0;
    for (let k = 0; k < end; k++) sumSq += this.recorded[k] * this.recorded[k];
    const vrms = Math.sqrt(sumSq / Math.max(1, last - first));
    const accepted =
      this.transitions > 2 && vrms >= this.win.minVrms && vrms <= this.win.maxVrms && hz >= this.win.minHz && hz <= this.win.maxHz;
    this.lastMeasurement = { vrms, hz, accepted };
    this.decided = true;
    this.recorded = [];
    if (accepted) {
      this.ringing = true;
      out.push('ring-begin');
    }
  }

  private endBurst(out: RingDetectorEvent[]): void {
    if (this.ringing) out.push('ring-end');
    this.ringing = false;
    this.decided = false;
    this.transitions = 0;
    this.rising = [];
    this.recorded = [];
  }
}
