/** Audio for the voice tests: WAV files of any encoding, tones, and a Goertzel level meter. */
import { encodeAlaw, encodeMulaw } from '../src/dsp/g711';

export function tone(freq: number, ms: number, rate = 8000, amplitude = 8000): Float32Array {
  const n = Math.round((ms * rate) / 1000);
  return Float32Array.from({ length: n }, (_, i) => (amplitude / 32768) * Math.sin((2 * Math.PI * freq * i) / rate));
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'alaw' | 'mulaw' | 'float32';

/** A RIFF/WAVE file of `channels` identical channels holding `x` (-1..1). */
export function wavFile(x: Float32Array, rate: number, encoding: WavEncoding, channels = 1): Buffer {
  const width = encoding === 'pcm16' ? 2 : encoding === 'float32' ? 4 : 1;
  const tag = { pcm8: 1, pcm16: 1, alaw: 6, mulaw: 7, float32: 3 }[encoding];
  const data = Buffer.alloc(x.length * width * channels);
  const i16 = Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
  const law = encoding === 'alaw' ? encodeAlaw(i16) : encoding === 'mulaw' ? encodeMulaw(i16) : undefined;
  for (let i = 0; i < x.length; i++)
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * width;
      if (encoding === 'pcm8') data[at] = Math.max(0, Math.min(255, Math.round(x[i] * 128 + 128)));
      else if (encoding === 'pcm16') data.writeInt16LE(i16[i], at);
      else if (encoding === 'float32') data.writeFloatLE(x[i], at);
      else data[at] = law![i];
    }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(tag, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * width * channels, 28);
  h.writeUInt16LE(width * channels, 32);
  h.writeUInt16LE(width * 8, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** RMS of the component at `freq` in `x` (8 kHz linear), by the Goertzel algorithm. */
export function goertzelRms(x: ArrayLike<number>, freq: number, rate = 8000): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return Math.sqrt(2 * power) / x.length;
}

/** Stretches of `blockMs` blocks whose energy at `freq` exceeds `minRms`: [startMs, endMs] each. */
export function toneBursts(x: Int16Array, freq: number, minRms = 1000, blockMs = 20): [number, number][] {
  const n = (blockMs * 8) | 0;
  const out: [number, number][] = [];
  let start: number | undefined;
  for (let i = 0; i + n <= x.length; i += n) {
    const on = goertzelRms(x.subarray(i, i + n), freq) > minRms;
    const t = (i / 8) | 0;
    if (on && start === undefined) start = t;
    if (!on && start !== undefined) {
      out.push([start, t]);
      start = undefined;
    }
  }
  if (start !== undefined) out.push([start, (x.length / 8) | 0]);
  return out;
}
