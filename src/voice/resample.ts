/**
 * Resamples mono linear audio to 8 kHz (the rate of every telephone channel) with
 * a windowed-sinc low-pass at 0.46 x the lower rate, so a 44.1 kHz prompt does
 * not fold its 4-20 kHz content back into the voice band. Run once per prompt
 * (prompts are cached decoded), so clarity is preferred over speed here.
 */
export const TELEPHONE_RATE = 8000;
const ZERO_CROSSINGS = 8;

/** Fractional positions between input samples the kernel is tabulated at. */
const PHASES = 512;

export function resampleTo8k(input: Float32Array, fromRate: number): Float32Array {
  if (fromRate === TELEPHONE_RATE) return input;
  const step = fromRate / TELEPHONE_RATE; // input samples per output sample
  const cutoff = 0.46 * Math.min(1, 1 / step); // cycles per input sample
  const half = Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
  const taps = 2 * half;
  // Kernel for each phase p (the output falls p/PHASES past an input sample), normalised to unity gain.
  const table = new Float32Array((PHASES + 1) * taps);
  for (let p = 0; p <= PHASES; p++) {
    let norm = 0;
    for (let j = 0; j < taps; j++) {
      const x = p / PHASES + half - 1 - j;
      const arg = 2 * cutoff * x;
      const h = blackman(x / half) * (arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg));
      table[p * taps + j] = h;
      norm += h;
    }
    for (let j = 0; j < taps; j++) table[p * taps + j] /= norm;
  }
  const outLen = Math.floor(input.length / step);
  const out = new Float32Array(outLen);
  for (let n = 0; n < outLen; n++) {
    const t = n * step;
    const centre = Math.floor(t);
    const row = Math.round((t - centre) * PHASES) * taps;
    const first = centre - half + 1;
    let acc = 0;
    if (first >= 0 && first + taps <= input.length) {
      for (let j = 0; j < taps; j++) acc += input[first + j] * table[row + j];
    } else {
      for (let j = 0; j < taps; j++) {
        const k = first + j;
        if (k >= 0 && k < input.length) acc += input[k] * table[row + j];
      }
    }
    out[n] = acc;
  }
  return out;
}

/** Blackman window over x in [-1, 1]. */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  const p = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(p) + 0.08 * Math.cos(2 * p);
}
