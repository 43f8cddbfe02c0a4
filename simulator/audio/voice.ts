import { dbm0ToAmplitude } from '../../src/dsp/levels';
import { Rng } from '../random';
import { SAMPLE_RATE, concat, silence } from './signals';

/**
 * Synthetic speech and music for the line simulator. Not intelligible, but with the
 * properties call-progress analysis and AMD look at: speech is voiced syllables
 * (a glottal pulse train through two formant resonators, a gliding pitch) grouped
 * into words with short dips between syllables and silent gaps between words;
 * music is sustained harmonic notes over a chord pad with short rests between phrases.
 */
const fs = SAMPLE_RATE;

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Two-pole resonator coefficients for a formant at `hz` with bandwidth `bw`. */
function resonator(hz: number, bw: number): [number, number, number] {
  const r = Math.exp((-Math.PI * bw) / fs);
  const a1 = 2 * r * Math.cos((2 * Math.PI * hz) / fs);
  const a2 = -r * r;
  return [a1, a2, 1 - r];
}

function syllable(rng: Rng, ms: number, f0: number, levelAmp: number): Float32Array {
  const n = Math.round((ms * fs) / 1000);
  const out = new Float32Array(n);
  const [a1, b1, g1] = resonator(uniform(rng, 300, 800), 90);
  const [a2, b2, g2] = resonator(uniform(rng, 900, 2300), 140);
  // Mandarin-like tone contour: pitch glides up or down over the syllable.
  const glide = uniform(rng, -0.35, 0.35);
  const fricative = rng.next() < 0.4 ? Math.round(uniform(rng, 0.03, 0.07) * fs) : 0;
  let phase = 0;
  let y1 = 0,
    y2 = 0,
    z1 = 0,
    z2 = 0;
  for (let i = 0; i < n; i++) {
    const t = i / n;
    const pitch = f0 * (1 + glide * t);
    phase += pitch / fs;
    let x = 0;
    if (i < fricative) x = 0.25 * (rng.next() * 2 - 1);
    else if (phase >= 1) {
      phase -= 1;
      x = 1;
    }
    const y = g1 * x * 40 + a1 * y1 + b1 * y2;
    y2 = y1;
    y1 = y;
    const z = g2 * x * 25 + a2 * z1 + b2 * z2;
    z2 = z1;
    z1 = z;
    const env = Math.min(1, i / (0.02 * fs)) * Math.min(1, (n - i) / (0.04 * fs));
    out[i] = (y + 0.6 * z) * env;
  }
  // Normalise to the wanted level (RMS of the voiced part).
  let e = 0;
  for (let i = 0; i < n; i++) e += out[i] * out[i];
  const rms = Math.sqrt(e / n) || 1;
  const k = levelAmp / Math.SQRT2 / rms;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

export interface SpeechOptions {
  words: number;
  levelDbm0?: number;
  /** Mean pitch in Hz (default drawn: 110-240). */
  f0?: number;
}

/** A run of words: 1-3 syllables each, joined within a word, silent gaps between words. */
export function renderSpeech(rng: Rng, opts: SpeechOptions): Float32Array {
  const f0 = opts.f0 ?? uniform(rng, 110, 240);
  const parts: Float32Array[] = [];
  for (let w = 0; w < opts.words; w++) {
    const syllables = 1 + Math.floor(rng.next() * 3);
    for (let s = 0; s < syllables; s++) {
      const level = dbm0ToAmplitude((opts.levelDbm0 ?? -18) + uniform(rng, -4, 3));
      parts.push(syllable(rng, uniform(rng, 140, 300), f0 * uniform(rng, 0.9, 1.12), level));
      // Between syllables of a word the voice dips but the line does not go silent.
      if (s < syllables - 1) parts.push(lowHum(rng, uniform(rng, 30, 60), dbm0ToAmplitude((opts.levelDbm0 ?? -18) - 16)));
    }
    if (w < opts.words - 1) parts.push(silence(uniform(rng, 90, 320)));
  }
  return concat(parts);
}

function lowHum(rng: Rng, ms: number, amp: number): Float32Array {
  const out = silence(ms);
  for (let i = 0; i < out.length; i++) out[i] = amp * (rng.next() * 2 - 1);
  return out;
}

/** A person picking up: "喂?" or "喂，你好" — one or two words, sometimes three. */
export function renderHumanGreeting(rng: Rng): Float32Array {
  const x = rng.next();
  return renderSpeech(rng, { words: x < 0.5 ? 1 : x < 0.9 ? 2 : 3 });
}

/** An answering machine or voicemail: a long greeting (3-8 s), then a beep. */
export function renderMachineGreeting(rng: Rng): Float32Array {
  const words = 6 + Math.floor(rng.next() * 12);
  const beep = new Float32Array(Math.round(0.4 * fs));
  const a = dbm0ToAmplitude(-12);
  for (let i = 0; i < beep.length; i++) beep[i] = a * Math.sin((2 * Math.PI * 1000 * i) / fs);
  return concat([renderSpeech(rng, { words }), silence(300), beep]);
}

/** A network announcement ("the number you dialled is switched off"), looped by the caller. */
export function renderAnnouncement(rng: Rng): Float32Array {
  return concat([renderSpeech(rng, { words: 8 + Math.floor(rng.next() * 5), f0: 210 }), silence(700)]);
}

const PENTATONIC = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25, 587.33, 659.25];

/** Colour ring-back: a melody of sustained notes over a chord pad, phrases of 2-6 s with short rests. */
export function renderMusic(rng: Rng, seconds: number, levelDbm0 = -16, restMs: [number, number] = [60, 150]): Float32Array {
  const out = new Float32Array(Math.round(seconds * fs));
  const amp = dbm0ToAmplitude(levelDbm0) / 2.2;
  let i = 0;
  while (i < out.length) {
    const phraseEnd = Math.min(out.length, i + Math.round(uniform(rng, 2, 6) * fs));
    const root = PENTATONIC[Math.floor(rng.next() * 4)] / 2;
    while (i < phraseEnd) {
      const note = PENTATONIC[Math.floor(rng.next() * PENTATONIC.length)];
      const len = Math.min(phraseEnd - i, Math.round(uniform(rng, 0.2, 0.6) * fs));
      for (let k = 0; k < len; k++, i++) {
        const t = i / fs;
        const env = 0.6 + 0.4 * Math.exp(-k / (0.15 * fs));
        let v = 0;
        for (let h = 1; h <= 4; h++) v += (env / h) * Math.sin(2 * Math.PI * note * h * t);
        // The pad: root, fifth and octave, steady through the phrase.
        v +=
          0.5 *
          (Math.sin(2 * Math.PI * root * t) + 0.7 * Math.sin(2 * Math.PI * root * 1.5 * t) + 0.5 * Math.sin(2 * Math.PI * root * 2 * t));
        out[i] = amp * v;
      }
    }
    i += Math.round((uniform(rng, restMs[0], restMs[1]) / 1000) * fs); // a breath between phrases
  }
  return out;
}
