/**
 * The electrical side of an analog line as data: the exchange's battery and feed,
 * the loop, the board's off-hook resistance, the ring signal and the neon
 * message-waiting pulse. Figures: telephony.md (CO 48 V, ringing 25 Hz / 90 Vrms,
 * 1 s on / 4 s off) and the seed board's limits in mission.md.
 */
import { SAMPLE_RATE } from '../audio/signals';

export interface LoopPlant {
  /** Exchange battery (V); 0 when the feed is lost. */
  batteryV: number;
  /** Exchange feed resistance, both legs (ohm). */
  feedOhms: number;
  /** Cable loop resistance (ohm). */
  loopOhms: number;
  /** Board's DC resistance off-hook (ohm); the seed board holds <= 300. */
  boardOffHookOhms: number;
  /** The exchange sees off-hook at or above this loop current (mA). */
  exchangeDetectMa: number;
}

export const TYPICAL_CHINA_LOOP: LoopPlant = { batteryV: 48, feedOhms: 800, loopOhms: 600, boardOffHookOhms: 250, exchangeDetectMa: 18 };

export function loopCurrentMa(p: LoopPlant): number {
  return (p.batteryV / (p.feedOhms + p.loopOhms + p.boardOffHookOhms)) * 1000;
}

/** Voltage across the board's terminals (V): battery on-hook, the drop across the board off-hook. */
export function lineVoltage(p: LoopPlant, offHook: boolean): number {
  return offHook ? (loopCurrentMa(p) / 1000) * p.boardOffHookOhms : p.batteryV;
}

export interface RingSignal {
  vrms: number;
  hz: number;
  /** On/off ms, repeated. */
  cadenceMs: readonly number[];
}

export const CHINA_RING: RingSignal = { vrms: 90, hz: 25, cadenceMs: [1000, 4000] };

/** A neon message-waiting lamp pulse: a single-polarity high voltage, no AC. */
export interface NeonPulse {
  volts: number;
  onMs: number;
  offMs: number;
  count: number;
}

export const TYPICAL_NEON_PULSE: NeonPulse = { volts: 100, onMs: 500, offMs: 500, count: 3 };

/**
 * Samples of what the board's ring detector sees on-hook: the battery plus, while
 * ringing, the AC ring signal superimposed (8 kHz, volts). Time 0 is the start of
 * the first burst.
 */
export class RingWaveform {
  private n = 0;
  private readonly period: number;

  constructor(
    private readonly ring: RingSignal,
    private readonly batteryV: number,
    private readonly rng?: () => number,
    private readonly noiseV = 0,
  ) {
    this.period = ring.cadenceMs.reduce((a, b) => a + b, 0);
  }

  /** True while the burst containing the next sample is on. */
  get ringing(): boolean {
    return this.isOn(this.n);
  }

  next(out: Float32Array): void {
    const w = (2 * Math.PI * this.ring.hz) / SAMPLE_RATE;
    const a = this.ring.vrms * Math.SQRT2;
    for (let i = 0; i < out.length; i++, this.n++) {
      const noise = this.rng ? this.noiseV * (this.rng() * 2 - 1) : 0;
      out[i] = -this.batteryV + (this.isOn(this.n) ? a * Math.sin(w * this.n) : 0) + noise;
    }
  }

  private isOn(n: number): boolean {
    let t = ((n / SAMPLE_RATE) * 1000) % this.period;
    for (let k = 0; k < this.ring.cadenceMs.length; k++) {
      if (t < this.ring.cadenceMs[k]) return k % 2 === 0;
      t -= this.ring.cadenceMs[k];
    }
    return false;
  }
}

/** Neon pulses: the line jumps from -battery to -volts and back, never changing sign. */
export class NeonWaveform {
  private n = 0;

  constructor(
    private readonly pulse: NeonPulse,
    private readonly batteryV: number,
  ) {}

  get done(): boolean {
    return (this.n / SAMPLE_RATE) * 1000 >= this.pulse.count * (this.pulse.onMs + this.pulse.offMs);
  }

  next(out: Float32Array): void {
    const period = this.pulse.onMs + this.pulse.offMs;
    for (let i = 0; i < out.length; i++, this.n++) {
      const t = (this.n / SAMPLE_RATE) * 1000;
      // A 5 ms RC edge, as a real lamp circuit has.
      const within = t % period;
      const on = t < this.pulse.count * period && within < this.pulse.onMs;
      const edge = on ? Math.min(1, within / 5) : 0;
      out[i] = -this.batteryV - edge * (this.pulse.volts - this.batteryV);
    }
  }
}
