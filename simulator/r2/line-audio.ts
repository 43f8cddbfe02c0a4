import { dbm0ToAmplitude, DBM0_RMS, encodeAlaw } from '../../src/dsp/g711';
import { MF_FREQUENCIES, MfDirection, SIGNAL_PAIRS } from '../../src/signalling/r2/mf-tones';
import { Rng } from '../random';

/**
 * Audio a simulated E1 timeslot can carry besides clean register signals: MF
 * signals off level and off frequency, white noise, and speech-like sound. The MF
 * tests and the accuracy sweep in `npm run bench` draw from here.
 */
const SAMPLE_RATE = 8000;

export interface MfToneSpec {
  direction: MfDirection;
  signal: number;
  /** Level of each tone, dBm0. */
  levelDbm0: number;
  /** Frequency error as a fraction (0.015 = +1.5 %). */
  drift?: number;
  /** Level difference, tone B minus tone A, dB. */
  twistDb?: number;
}

export function mfTone(spec: MfToneSpec, samples: number, rng?: Rng): Float32Array {
  const out = new Float32Array(samples);
  const [a, b] = SIGNAL_PAIRS[spec.signal];
  const freqs = MF_FREQUENCIES[spec.direction];
  const scale = 1 + (spec.drift ?? 0);
  const ampA = dbm0ToAmplitude(spec.levelDbm0);
  const ampB = dbm0ToAmplitude(spec.levelDbm0 + (spec.twistDb ?? 0));
  const phA = rng ? rng.next() * 2 * Math.PI : 0;
  const phB = rng ? rng.next() * 2 * Math.PI : 0;
  for (let i = 0; i < samples; i++) {
    const t = i / SAMPLE_RATE;
    out[i] = ampA * Math.sin(2 * Math.PI * freqs[a] * scale * t + phA) + ampB * Math.sin(2 * Math.PI * freqs[b] * scale * t + phB);
  }
  return out;
}

/** Adds white Gaussian noise at the given level (dBm0, over the whole band). */
export function addNoise(signal: Float32Array, noiseDbm0: number, rng: Rng): Float32Array {
  const sigma = DBM0_RMS * Math.pow(10, noiseDbm0 / 20);
  for (let i = 0; i < signal.length; i++) signal[i] += sigma * rng.normal();
  return signal;
}

/**
 * Speech-like sound: voiced stretches (a glottal pulse train at 90-260 Hz through
 * two or three resonances that glide between 300 and 3200 Hz) and unvoiced hiss,
 * in syllables of 80-300 ms at about -15 dBm0 with a 10 dB spread. Voiced speech
 * has strong harmonics in the MF bands, which is what makes it a fair test.
 */
export function speechLike(samples: number, rng: Rng): Float32Array {
  const out = new Float32Array(samples);
  let i = 0;
  while (i < samples) {
    const len = Math.min(samples - i, Math.round((0.08 + rng.next() * 0.22) * SAMPLE_RATE));
    const level = dbm0ToAmplitude(-15 + (rng.next() - 0.5) * 10) / Math.SQRT2;
    const voiced = rng.next() < 0.75;
    const f0Start = 90 + rng.next() * 170;
    const f0End = f0Start * (0.8 + rng.next() * 0.4);
    const formants = [300 + rng.next() * 600, 900 + rng.next() * 1400, 2000 + rng.next() * 1200].map((f) => ({
      f,
      drift: (rng.next() - 0.5) * 400,
    }));
    // Two-pole resonators, one per formant, run on the excitation.
    const state = formants.map(() => [0, 0]);
    let phase = 0;
    const seg = new Float32Array(len);
    for (let j = 0; j < len; j++) {
      const frac = j / len;
      const f0 = f0Start + (f0End - f0Start) * frac;
      let x: number;
      if (voiced) {
        phase += f0 / SAMPLE_RATE;
        x = phase >= 1 ? 1 : 0;
        if (phase >= 1) phase -= 1;
      } else {
        x = rng.normal() * 0.3;
      }
      let y = 0;
      for (let k = 0; k < formants.length; k++) {
        const f = formants[k].f + formants[k].drift * frac;
        const r = 0.97;
        const c = 2 * r * Math.cos((2 * Math.PI * f) / SAMPLE_RATE);
        const s = state[k];
        const v = x + c * s[0] - r * r * s[1];
        s[1] = s[0];
        s[0] = v;
        y += v;
      }
      // Syllable envelope: rise and fall.
      seg[j] = y * Math.sin(Math.PI * frac);
    }
    let rms = 0;
    for (const v of seg) rms += v * v;
    rms = Math.sqrt(rms / Math.max(1, len)) || 1;
    for (let j = 0; j < len; j++) out[i + j] = (seg[j] / rms) * level;
    i += len;
  }
  return out;
}

export function toAlaw(signal: Float32Array): Uint8Array {
  return encodeAlaw(signal);
}
