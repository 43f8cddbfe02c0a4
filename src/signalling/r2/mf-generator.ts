import { dbm0ToAmplitude, linearToAlaw } from '../../dsp/g711';
import { MF_FREQUENCIES, MF_SEND_LEVEL_DBM0, MfDirection, SIGNAL_PAIRS } from './mf-tones';

const SAMPLE_RATE = 8000;

/**
 * Generates one direction's 2-of-6 signals into A-law frames. The phase runs on
 * across frames so a tone spanning many frames has no clicks (a click would
 * splash energy into the other bins of the far end's detector).
 */
export class MfGenerator {
  private signal = 0;
  private phaseA = 0;
  private phaseB = 0;
  private stepA = 0;
  private stepB = 0;
  private readonly amplitude: number;
  private readonly freqs: readonly number[];

  constructor(
    readonly direction: MfDirection,
    opts: { levelDbm0?: number; frequencyScale?: number } = {},
  ) {
    this.amplitude = dbm0ToAmplitude(opts.levelDbm0 ?? MF_SEND_LEVEL_DBM0);
    const scale = opts.frequencyScale ?? 1;
    this.freqs = MF_FREQUENCIES[direction].map((f) => f * scale);
  }

  /** The signal being sent, 0 for silence. */
  get current(): number {
    return this.signal;
  }

  /** Starts sending signal 1-15, or stops with 0. */
  set(signal: number): void {
    if (signal === this.signal) return;
    this.signal = signal;
    this.phaseA = 0;
    this.phaseB = 0;
    if (signal === 0) return;
    const [a, b] = SIGNAL_PAIRS[signal];
    this.stepA = (2 * Math.PI * this.freqs[a]) / SAMPLE_RATE;
    this.stepB = (2 * Math.PI * this.freqs[b]) / SAMPLE_RATE;
  }

  /** Fills `out` with linear samples (silence when no signal is set). */
  fillLinear(out: Int16Array | Float32Array): void {
    if (this.signal === 0) {
      out.fill(0);
      return;
    }
    const amp = this.amplitude;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.round(amp * (Math.sin(this.phaseA) + Math.sin(this.phaseB)));
      this.phaseA += this.stepA;
      this.phaseB += this.stepB;
    }
    this.phaseA %= 2 * Math.PI;
    this.phaseB %= 2 * Math.PI;
  }

  /** Fills an A-law frame. */
  fillAlaw(out: Uint8Array, scratch = new Int16Array(out.length)): void {
    this.fillLinear(scratch);
    for (let i = 0; i < out.length; i++) out[i] = linearToAlaw(scratch[i]);
  }
}
