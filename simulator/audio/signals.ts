import { dbm0ToAmplitude } from '../../src/dsp/levels';
import { ToneSpec } from '../../src/dsp/tone-plan';
import { Rng } from '../random';

export const SAMPLE_RATE = 8000;

/** Something that plays into a line, 8 kHz linear samples, pulled a frame at a time. */
export interface AudioSource {
  /** Adds this source's next samples into `out`; returns false once it has finished. */
  mixInto(out: Float32Array): boolean;
}

/** A cadenced tone from a tone plan (continuous when the cadence is empty). */
export class CadencedTone implements AudioSource {
  private n = 0;
  private readonly amp: number;
  private readonly cycle: number[];
  private readonly period: number;

  constructor(
    private readonly spec: ToneSpec,
    /** Stop after this many samples (default: forever). */
    private readonly lengthSamples = Number.POSITIVE_INFINITY,
    levelOffsetDb = 0,
  ) {
    this.amp = dbm0ToAmplitude(spec.levelDbm0 + levelOffsetDb);
    this.cycle = spec.cadenceMs.map((ms) => (ms * SAMPLE_RATE) / 1000);
    this.period = this.cycle.reduce((a, b) => a + b, 0);
  }

  mixInto(out: Float32Array): boolean {
    const w = (2 * Math.PI * this.spec.hz) / SAMPLE_RATE;
    for (let i = 0; i < out.length && this.n < this.lengthSamples; i++, this.n++) {
      if (this.isOn(this.n)) out[i] += this.amp * Math.sin(w * this.n);
    }
    return this.n < this.lengthSamples;
  }

  private isOn(n: number): boolean {
    if (!this.period) return true;
    let t = n % this.period;
    for (let k = 0; k < this.cycle.length; k++) {
      if (t < this.cycle[k]) return k % 2 === 0;
      t -= this.cycle[k];
    }
    return false;
  }
}

/** A recorded sound (a greeting, an announcement, music), optionally looped. */
export class Recording implements AudioSource {
  private pos = 0;

  constructor(
    readonly samples: Float32Array,
    private readonly loop = false,
  ) {}

  get durationMs(): number {
    return (this.samples.length * 1000) / SAMPLE_RATE;
  }

  mixInto(out: Float32Array): boolean {
    for (let i = 0; i < out.length; i++) {
      if (this.pos >= this.samples.length) {
        if (!this.loop) return false;
        this.pos = 0;
      }
      out[i] += this.samples[this.pos++];
    }
    return this.loop || this.pos < this.samples.length;
  }
}

/** White Gaussian line noise at a level (dBm0). */
export class LineNoise implements AudioSource {
  private readonly rms: number;

  constructor(
    levelDbm0: number,
    private readonly rng: Rng,
  ) {
    this.rms = dbm0ToAmplitude(levelDbm0) / Math.SQRT2;
  }

  mixInto(out: Float32Array): boolean {
    for (let i = 0; i < out.length; i++) out[i] += this.rms * this.rng.normal();
    return true;
  }
}

const DTMF_LOW = [697, 770, 852, 941];
const DTMF_HIGH = [1209, 1336, 1477, 1633];
const DTMF_KEYS = '123A456B789C*0#D';

/** DTMF digits rendered in TS (independent of spandsp's generator), each tone at `levelDbm0`. */
export function renderDtmf(digits: string, opts: { levelDbm0: number; onMs?: number; offMs?: number }): Float32Array {
  const on = Math.round(((opts.onMs ?? 80) * SAMPLE_RATE) / 1000);
  const off = Math.round(((opts.offMs ?? 80) * SAMPLE_RATE) / 1000);
  const out = new Float32Array(digits.length * (on + off));
  const a = dbm0ToAmplitude(opts.levelDbm0);
  for (let d = 0; d < digits.length; d++) {
    const k = DTMF_KEYS.indexOf(digits[d].toUpperCase());
    if (k < 0) throw new RangeError(`'${digits[d]}' is not a DTMF key`);
    const wl = (2 * Math.PI * DTMF_LOW[k >> 2]) / SAMPLE_RATE;
    const wh = (2 * Math.PI * DTMF_HIGH[k & 3]) / SAMPLE_RATE;
    const base = d * (on + off);
    for (let i = 0; i < on; i++) out[base + i] = a * (Math.sin(wl * i) + Math.sin(wh * i));
  }
  return out;
}

/**
 * A caller-ID burst as the exchange sends it on-hook: Bell 202 FSK (mark 1200 Hz,
 * space 2200 Hz, 1200 bit/s, phase-continuous), 300 bits of channel seizure, 180
 * mark bits, the message bytes (start bit, 8 data bits LSB first, stop bit), the
 * two's-complement checksum, and a few trailing marks.
 */
export function renderFskCallerId(message: Uint8Array, opts: { levelDbm0?: number; corruptChecksum?: boolean } = {}): Float32Array {
  const bits: number[] = [];
  for (let i = 0; i < 300; i++) bits.push(i & 1);
  for (let i = 0; i < 180; i++) bits.push(1);
  let sum = 0;
  const pushByte = (b: number) => {
    bits.push(0);
    for (let i = 0; i < 8; i++) bits.push((b >> i) & 1);
    bits.push(1);
  };
  for (const b of message) {
    sum = (sum + b) & 0xff;
    pushByte(b);
  }
  const checksum = (256 - sum) & 0xff;
  pushByte(opts.corruptChecksum ? checksum ^ 0x5a : checksum);
  for (let i = 0; i < 10; i++) bits.push(1);

  const samplesPerBit = SAMPLE_RATE / 1200;
  const total = Math.ceil(bits.length * samplesPerBit);
  const out = new Float32Array(total);
  const a = dbm0ToAmplitude(opts.levelDbm0 ?? -13);
  let phase = 0;
  for (let n = 0; n < total; n++) {
    const bit = bits[Math.min(bits.length - 1, Math.floor(n / samplesPerBit))];
    phase += (2 * Math.PI * (bit ? 1200 : 2200)) / SAMPLE_RATE;
    out[n] = a * Math.sin(phase);
  }
  return out;
}

export function silence(ms: number): Float32Array {
  return new Float32Array(Math.round((ms * SAMPLE_RATE) / 1000));
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
