import { Rng } from '../random';
import { addNoise, mfTone, speechLike, toAlaw } from './line-audio';
import { MfDirection } from '../../src/signalling/r2/mf-tones';

/**
 * The accuracy sweep behind the choice of MF detector: any detector that takes
 * A-law frames and says which signal (0 = none) it hears can be measured here.
 */
export interface FrameDetector {
  /** Feeds one A-law frame; returns the signal present after it (0 = none). */
  feed(frame: Uint8Array): number;
  reset(): void;
}

const FRAME = 160;

function run(det: FrameDetector, audio: Uint8Array): number[] {
  det.reset();
  const seen: number[] = [];
  let last = 0;
  for (let i = 0; i + FRAME <= audio.length; i += FRAME) {
    const s = det.feed(audio.subarray(i, i + FRAME));
    if (s !== last && s !== 0) seen.push(s);
    last = s;
  }
  return seen;
}

export interface DetectionCase {
  levelDbm0: number;
  drift: number;
  /** Signal-to-noise ratio per tone, dB; undefined = no noise. */
  snrDb?: number;
  twistDb?: number;
}

/** Share of tone bursts (every signal 1-15, `trials` each, 100 ms) detected as exactly the right signal. */
export function detectionRate(make: () => FrameDetector, direction: MfDirection, c: DetectionCase, trials: number, seed = 1): number {
  const det = make();
  const rng = new Rng(`mf/${direction}/${c.levelDbm0}/${c.drift}/${c.snrDb}/${seed}`);
  let ok = 0;
  let total = 0;
  for (let t = 0; t < trials; t++) {
    for (let signal = 1; signal <= 15; signal++) {
      // 20 ms of silence (or noise), 100 ms of tone, 40 ms after.
      const lead = new Float32Array(FRAME);
      const tone = mfTone({ direction, signal, levelDbm0: c.levelDbm0, drift: c.drift, twistDb: c.twistDb }, 800, rng);
      const tail = new Float32Array(2 * FRAME);
      const all = new Float32Array(lead.length + tone.length + tail.length);
      all.set(lead, 0);
      all.set(tone, lead.length);
      all.set(tail, lead.length + tone.length);
      if (c.snrDb !== undefined) addNoise(all, c.levelDbm0 - c.snrDb, rng);
      const seen = run(det, toAlaw(all));
      total++;
      if (seen.length === 1 && seen[0] === signal) ok++;
    }
  }
  return ok / total;
}

/** Signals reported in `seconds` of speech-like audio (should be 0). */
export function falseOnSpeech(make: () => FrameDetector, seconds: number, seed = 7): number {
  const rng = new Rng(`speech/${seed}`);
  return run(make(), toAlaw(speechLike(seconds * 8000, rng))).length;
}

/** Signals reported when the detector hears the other direction's 15 signals at -5..-20 dBm0 (should be 0). */
export function falseOnOtherDirection(make: () => FrameDetector, direction: MfDirection): number {
  const other: MfDirection = direction === 'forward' ? 'backward' : 'forward';
  const rng = new Rng(`other/${direction}`);
  let count = 0;
  for (const level of [-5, -11, -20]) {
    for (let signal = 1; signal <= 15; signal++) {
      count += run(make(), toAlaw(mfTone({ direction: other, signal, levelDbm0: level }, 1600, rng))).length;
    }
  }
  return count;
}

/** Signals reported in white noise at -20 dBm0 for `seconds` (should be 0). */
export function falseOnNoise(make: () => FrameDetector, seconds: number): number {
  const rng = new Rng('noise');
  return run(make(), toAlaw(addNoise(new Float32Array(seconds * 8000), -20, rng))).length;
}
