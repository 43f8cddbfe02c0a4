/**
 * G.711 A-law (ITU-T G.711), the coding of every E1 timeslot and of DAHDI audio
 * here. Decoding is a 256-entry table; encoding a 4096-entry table on the top
 * 12 bits of a 16-bit sample (A-law keeps at most 12 bits of magnitude anyway).
 */
const DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const a = i ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  DECODE[i] = a & 0x80 ? magnitude : -magnitude;
  magnitude = 0;
}

function encodeSlow(sample: number): number {
  let pcm = sample;
  let sign = 0x80;
  if (pcm < 0) {
    pcm = -pcm - 1;
    sign = 0x00;
  }
  if (pcm > 32767) pcm = 32767;
  let exponent = 7;
  for (let mask = 0x4000; (pcm & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = exponent === 0 ? (pcm >> 4) & 0x0f : (pcm >> (exponent + 3)) & 0x0f;
  return (sign | (exponent << 4) | mantissa) ^ 0x55;
}

const ENCODE = new Uint8Array(8192);
for (let i = 0; i < 8192; i++) ENCODE[i] = encodeSlow((i - 4096) << 3);

export function alawToLinear(code: number): number {
  return DECODE[code & 0xff];
}

export function linearToAlaw(sample: number): number {
  const s = sample < -32768 ? -32768 : sample > 32767 ? 32767 : sample | 0;
  return ENCODE[(s >> 3) + 4096];
}

export function decodeAlaw(codes: Uint8Array, out = new Int16Array(codes.length)): Int16Array {
  for (let i = 0; i < codes.length; i++) out[i] = DECODE[codes[i]];
  return out;
}

export function encodeAlaw(samples: Int16Array | Float32Array | number[], out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]);
  return out;
}

/**
 * Levels in dBm0 for the 16-bit linear samples decodeAlaw produces. G.711 puts the
 * A-law peak (a sine reaching the largest code) at +3.14 dBm0, so a 0 dBm0 sine has
 * a peak of 32768 * 10^(-3.14/20) and an RMS of about 16,140 (spandsp's dtmf_tx at
 * -10 dBm0 per tone measures 5,118 RMS per tone on this scale).
 */
export const A_LAW_PEAK_DBM0 = 3.14;
export const DBM0_RMS = (32768 / Math.SQRT2) * Math.pow(10, -A_LAW_PEAK_DBM0 / 20);

export function rmsToDbm0(rms: number): number {
  return 20 * Math.log10(Math.max(rms, 1e-9) / DBM0_RMS);
}

/** Peak amplitude (16-bit scale) of a sine at `dbm0`. */
export function dbm0ToAmplitude(dbm0: number): number {
  return DBM0_RMS * Math.SQRT2 * Math.pow(10, dbm0 / 20);
}

/**
 * G.711 mu-law (T1 spans; WAV prompts recorded in it). Bias 0x84 and inverted
 * code bits, as the standard gives them; 14 bits of magnitude.
 */
const MU_DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  MU_DECODE[i] = u & 0x80 ? -magnitude : magnitude;
}

function muEncodeSlow(sample: number): number {
  let pcm = sample;
  const sign = pcm < 0 ? 0x80 : 0;
  if (pcm < 0) pcm = -pcm;
  if (pcm > 32635) pcm = 32635;
  pcm += 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (pcm & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (pcm >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

const MU_ENCODE = new Uint8Array(16384);
for (let i = 0; i < 16384; i++) MU_ENCODE[i] = muEncodeSlow((i - 8192) << 2);

export function mulawToLinear(code: number): number {
  return MU_DECODE[code & 0xff];
}

export function linearToMulaw(sample: number): number {
  const s = sample < -32768 ? -32768 : sample > 32767 ? 32767 : sample | 0;
  return MU_ENCODE[(s >> 2) + 8192];
}

export function decodeMulaw(codes: Uint8Array, out = new Int16Array(codes.length)): Int16Array {
  for (let i = 0; i < codes.length; i++) out[i] = MU_DECODE[codes[i]];
  return out;
}

export function encodeMulaw(samples: Int16Array | Float32Array | number[], out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]);
  return out;
}
