import { rmsToDbm0 } from './levels';

/** What one 20 ms frame of line audio is, before any cadence is looked at. */
export type FrameClass = 'silence' | 'tone' | 'audio';

export interface FrameFeatures {
  levelDbm0: number;
  /** Fraction of the frame's energy at the strongest plan frequency (1 = pure tone). */
  tonePurity: number;
  toneHz: number;
  /** The level below which this frame counted as silence (follows the line's noise floor). */
  silenceDbm0: number;
  cls: FrameClass;
}

export interface FrameAnalyserOptions {
  /** Frequencies to look for (Hz). */
  toneHz: readonly number[];
  sampleRate?: number;
  /** Below this a frame is silence (dBm0); raised on a noisy line to 10 dB over the noise floor, up to -35. */
  silenceDbm0?: number;
  /** A frame is a tone when this share of its energy sits at one plan frequency. */
  minTonePurity?: number;
}

const FLOOR_FRAMES = 100; // the noise floor is the quietest frame of the last 2 s
const FLOOR_MARGIN_DB = 10;
const MAX_SILENCE_DBM0 = -35; // a "floor" louder than this is music or tone, not noise

/**
 * Level and tone purity of a frame: one Goertzel filter per plan frequency against
 * the frame's total energy. Cheap enough for hundreds of channels (one pass per
 * frequency over 160 samples). The silence threshold follows the noise floor
 * (minimum statistics over 2 s), so a noisy line does not read as someone talking.
 */
export class FrameAnalyser {
  private readonly coeffs: Float64Array;
  private readonly silenceDbm0: number;
  private readonly minPurity: number;
  private readonly recent = new Float64Array(FLOOR_FRAMES).fill(0);
  private recentAt = 0;

  constructor(private readonly opts: FrameAnalyserOptions) {
    const rate = opts.sampleRate ?? 8000;
    this.coeffs = Float64Array.from(opts.toneHz, (hz) => 2 * Math.cos((2 * Math.PI * hz) / rate));
    this.silenceDbm0 = opts.silenceDbm0 ?? -45;
    this.minPurity = opts.minTonePurity ?? 0.8;
  }

  analyse(frame: Int16Array): FrameFeatures {
    const n = frame.length;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += frame[i] * frame[i];
    const levelDbm0 = rmsToDbm0(Math.sqrt(energy / n));
    let best = 0;
    let bestHz = 0;
    for (let k = 0; k < this.coeffs.length; k++) {
      const c = this.coeffs[k];
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const s0 = frame[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      const power = s1 * s1 + s2 * s2 - c * s1 * s2;
      const purity = energy > 0 ? (2 * power) / (n * energy) : 0;
      if (purity > best) {
        best = purity;
        bestHz = this.opts.toneHz[k];
      }
    }
    this.recent[this.recentAt++ % FLOOR_FRAMES] = levelDbm0;
    let floor = Infinity;
    for (let i = 0; i < FLOOR_FRAMES; i++) if (this.recent[i] < floor) floor = this.recent[i];
    const silenceDbm0 = Math.max(this.silenceDbm0, Math.min(MAX_SILENCE_DBM0, floor + FLOOR_MARGIN_DB));
    const cls: FrameClass = levelDbm0 < silenceDbm0 ? 'silence' : best >= this.minPurity ? 'tone' : 'audio';
    return { levelDbm0, tonePurity: best, toneHz: bestHz, silenceDbm0, cls };
  }
}
