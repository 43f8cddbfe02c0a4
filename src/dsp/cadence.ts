import { Segment } from './segmenter';
import { ProgressTone, TonePlan } from './tone-plan';

export interface CadenceOptions {
  frameMs: number;
  /** Relative tolerance on each on/off element (default 25%). */
  tolerance?: number;
  /** Absolute tolerance floor in ms (default 50: short elements are a few frames long). */
  minToleranceMs?: number;
  /** For slow cadences (off much longer than on), how much silence after a burst confirms it. */
  slowConfirmMs?: number;
}

/**
 * Matches recent tone/silence segments against the cadences of a tone plan.
 * Fast cadences (busy, congestion, vacant) need three or five alternating segments
 * in range; slow ones (ringback) need one burst in range and a long enough silence
 * after it. Any segment of other audio (speech, music) breaks a match.
 */
export class CadenceMatcher {
  private readonly tol: number;
  private readonly tolMin: number;
  private readonly slowConfirmMs: number;

  constructor(
    private readonly plan: TonePlan,
    private readonly watch: readonly ProgressTone[],
    private readonly opts: CadenceOptions,
  ) {
    this.tol = opts.tolerance ?? 0.25;
    this.tolMin = opts.minToleranceMs ?? 50;
    this.slowConfirmMs = opts.slowConfirmMs ?? 1200;
  }

  /** The watched tone the segments show, if any. `closed` is oldest first. */
  match(closed: readonly Segment[], open: Segment | undefined): ProgressTone | undefined {
    for (const name of this.watch) {
      const cadence = this.plan.tones[name].cadenceMs;
      if (cadence.length < 2) continue;
      if (this.isSlow(cadence) ? this.matchSlow(cadence, closed, open) : this.matchFast(cadence, closed)) return name;
    }
    return undefined;
  }

  private isSlow(cadence: readonly number[]): boolean {
    return cadence.length === 2 && cadence[1] >= 2.5 * cadence[0];
  }

  private fits(observedMs: number, expectedMs: number): boolean {
    return Math.abs(observedMs - expectedMs) <= Math.max(expectedMs * this.tol, this.tolMin);
  }

  private ms(s: Segment): number {
    return s.frames * this.opts.frameMs;
  }

  private matchSlow(cadence: readonly number[], closed: readonly Segment[], open: Segment | undefined): boolean {
    const burst = closed[closed.length - 1];
    if (!burst || burst.cls !== 'tone' || !open || open.cls !== 'silence') return false;
    const confirm = Math.min(this.slowConfirmMs, cadence[1] * (1 - this.tol));
    return this.fits(this.ms(burst), cadence[0]) && this.ms(open) >= confirm;
  }

  private matchFast(cadence: readonly number[], closed: readonly Segment[]): boolean {
    const k = cadence.length === 2 ? 3 : 5;
    if (closed.length < k) return false;
    const recent = closed.slice(-k);
    if (recent[k - 1].cls !== 'tone') return false;
    // Try every phase of the cadence that starts on an "on" element.
    for (let phase = 0; phase < cadence.length; phase += 2) {
      let ok = true;
      for (let i = 0; i < k && ok; i++) {
        const want = i % 2 === 0 ? 'tone' : 'silence';
        const seg = recent[i];
        ok = seg.cls === want && this.fits(this.ms(seg), cadence[(phase + i) % cadence.length]);
      }
      if (ok) return true;
    }
    return false;
  }
}
