import { alawToLinear, DBM0_RMS } from '../../dsp/g711';
import { MF_FREQUENCIES, MfDirection, signalForPair } from './mf-tones';

const SAMPLE_RATE = 8000;

/**
 * Acceptance rules for a 2-of-6 signal. Defaults were tuned with the accuracy
 * sweep in bench/r2-mf.ts (levels -5..-40 dBm0, +/-1.5 % drift, white noise,
 * speech-like audio, the other direction's tones).
 */
export interface MfDetectorOptions {
  /** Samples per Goertzel block (160 = 20 ms). */
  blockSize?: number;
  /** Weakest tone accepted, in dBm0 (Q.441 asks for -35; a 2 dB drift loss sits under it). */
  minLevelDbm0?: number;
  /** Largest level difference between the two tones, dB. */
  maxTwistDb?: number;
  /** How far the third strongest bin must be below the weaker tone, dB. */
  minThirdBelowDb?: number;
  /** Share of the block's energy the two tones must carry (rejects speech and noise). */
  minToneEnergyShare?: number;
  /** Consecutive agreeing blocks before the output changes (on and off). */
  confirmBlocks?: number;
  /** Hann keeps a neighbour's leakage below -26 dB even at 1.5 % drift; 'rect' is cheaper and leakier. */
  window?: 'hann' | 'rect';
}

/**
 * Both bands use 20 ms Hann-windowed blocks (50 Hz bins): 1.5 % drift costs at most
 * about 2 dB and a neighbour's leakage stays below -26 dB. The backward band needs
 * stricter rules and one more block of confirmation: voiced speech is strongest
 * there (540-1140 Hz), and its harmonics fall on the MF frequencies.
 */
export const MF_DETECTOR_DEFAULTS: Readonly<Record<MfDirection, Required<MfDetectorOptions>>> = {
  forward: {
    blockSize: 160,
    window: 'hann',
    minLevelDbm0: -39,
    maxTwistDb: 8,
    minThirdBelowDb: 10,
    minToneEnergyShare: 0.55,
    confirmBlocks: 2,
  },
  backward: {
    blockSize: 160,
    window: 'hann',
    minLevelDbm0: -39,
    maxTwistDb: 8,
    minThirdBelowDb: 15,
    minToneEnergyShare: 0.7,
    confirmBlocks: 3,
  },
};

/** What one block looked like: for diagnostics and the accuracy sweep. */
export interface MfBlockVerdict {
  signal: number;
  levelsDbm0: number[];
}

/**
 * Goertzel detector for one direction's six frequencies, fed A-law or linear
 * audio in frames of any size. `signal` changes only after `confirmBlocks`
 * agreeing blocks, so a forward tone must last about 40 ms to be seen (a
 * backward one 60 ms) and a gap as long to end it.
 */
export class MfDetector {
  private readonly opts: Required<MfDetectorOptions>;
  private readonly coeff: Float64Array;
  private readonly s1 = new Float64Array(6);
  private readonly s2 = new Float64Array(6);
  private readonly power = new Float64Array(6);
  private filled = 0;
  private energy = 0;
  private candidate = 0;
  private agreeing = 0;
  private stable = 0;
  /** Minimum Goertzel power for the level threshold, precomputed. */
  private readonly minPower: number;
  private readonly window: Float64Array;
  /** Turns a bin's power into the share of sum((x w)^2) a pure tone would give: 2 sum(w^2) / sum(w)^2. */
  private readonly powerToEnergy: number;
  /** Turns a bin's power into the tone's amplitude squared: 4 / sum(w)^2. */
  private readonly powerToAmp2: number;
  private readonly twistRatio: number;
  private readonly thirdRatio: number;
  /** Verdicts of every block (only when `keepVerdicts` is set, for the sweep). */
  verdicts: MfBlockVerdict[] | undefined;

  constructor(
    readonly direction: MfDirection,
    opts: MfDetectorOptions = {},
  ) {
    this.opts = { ...MF_DETECTOR_DEFAULTS[direction], ...opts };
    const n = this.opts.blockSize;
    this.coeff = Float64Array.from(MF_FREQUENCIES[direction], (f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));
    this.window = Float64Array.from({ length: n }, (_, i) =>
      this.opts.window === 'rect' ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n),
    );
    let sum = 0;
    let sum2 = 0;
    for (const w of this.window) {
      sum += w;
      sum2 += w * w;
    }
    this.powerToEnergy = (2 * sum2) / (sum * sum);
    this.powerToAmp2 = 4 / (sum * sum);
    // A tone of amplitude A gives a bin power of (A sum(w) / 2)^2.
    const minAmp = DBM0_RMS * Math.SQRT2 * Math.pow(10, this.opts.minLevelDbm0 / 20);
    this.minPower = (minAmp * minAmp) / this.powerToAmp2;
    this.twistRatio = Math.pow(10, this.opts.maxTwistDb / 10);
    this.thirdRatio = Math.pow(10, this.opts.minThirdBelowDb / 10);
  }

  /** The signal currently present (1-15), or 0. */
  get signal(): number {
    return this.stable;
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.filled = 0;
    this.energy = 0;
    this.candidate = 0;
    this.agreeing = 0;
    this.stable = 0;
  }

  /** Feeds A-law codes; returns the (debounced) signal after them. */
  feedAlaw(frame: Uint8Array): number {
    for (let i = 0; i < frame.length; i++) this.sample(alawToLinear(frame[i]));
    return this.stable;
  }

  feedLinear(samples: ArrayLike<number>): number {
    for (let i = 0; i < samples.length; i++) this.sample(samples[i]);
    return this.stable;
  }

  private sample(raw: number): void {
    const x = raw * this.window[this.filled];
    const c = this.coeff;
    const s1 = this.s1;
    const s2 = this.s2;
    for (let k = 0; k < 6; k++) {
      const s0 = x + c[k] * s1[k] - s2[k];
      s2[k] = s1[k];
      s1[k] = s0;
    }
    this.energy += x * x;
    if (++this.filled === this.opts.blockSize) this.endBlock();
  }

  private endBlock(): void {
    const p = this.power;
    let first = -1;
    let second = -1;
    for (let k = 0; k < 6; k++) {
      p[k] = this.s1[k] * this.s1[k] + this.s2[k] * this.s2[k] - this.coeff[k] * this.s1[k] * this.s2[k];
      if (first < 0 || p[k] > p[first]) {
        second = first;
        first = k;
      } else if (second < 0 || p[k] > p[second]) {
        second = k;
      }
    }
    let third = 0;
    for (let k = 0; k < 6; k++) if (k !== first && k !== second && p[k] > third) third = p[k];
    const found = this.judge(p[first], p[second], third) ? signalForPair(first, second) : 0;
    if (this.verdicts) this.verdicts.push({ signal: found, levelsDbm0: Array.from(p, (v) => this.powerToDbm0(v)) });
    this.s1.fill(0);
    this.s2.fill(0);
    this.filled = 0;
    this.energy = 0;
    this.debounce(found);
  }

  private judge(strong: number, weak: number, third: number): boolean {
    if (weak < this.minPower) return false;
    if (strong > weak * this.twistRatio) return false;
    if (third * this.thirdRatio > weak) return false;
    // A pure tone's normalised power equals its part of sum((x w)^2).
    const toneEnergy = (strong + weak) * this.powerToEnergy;
    return toneEnergy >= this.opts.minToneEnergyShare * this.energy;
  }

  private debounce(found: number): void {
    if (found === this.candidate) {
      if (this.agreeing < this.opts.confirmBlocks) this.agreeing++;
    } else {
      this.candidate = found;
      this.agreeing = 1;
    }
    if (this.agreeing >= this.opts.confirmBlocks) this.stable = this.candidate;
  }

  private powerToDbm0(power: number): number {
    const amp = Math.sqrt(power * this.powerToAmp2);
    return 20 * Math.log10(Math.max(amp, 1e-9) / (DBM0_RMS * Math.SQRT2));
  }
}
