import { InputError } from '../src/core/errors';

/**
 * Seeded randomness for the simulator and the benchmarks: the same seed gives the
 * same calls. sfc32 is small, fast and good enough for traffic models.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    const h = hashString(String(seed));
    this.a = h[0];
    this.b = h[1];
    this.c = h[2];
    this.d = h[3];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Picks a key with probability proportional to its weight. */
  pick<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1][0];
  }
}

/** cyrb128: four 32-bit words from a string, to seed Rng. */
function hashString(str: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** A distribution as scenario files write it. */
export type Distribution =
  | { dist: 'fixed'; value: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; median: number; sigma: number }
  | { dist: 'lognormal'; mean: number; cv: number };

/** Draws one value (never negative). */
export function sample(d: Distribution, rng: Rng): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return -Math.log(1 - rng.next()) * d.mean;
    case 'normal':
      return Math.max(0, d.mean + d.sd * rng.normal());
    case 'lognormal': {
      if ('median' in d) return d.median * Math.exp(d.sigma * rng.normal());
      // From mean and coefficient of variation: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2/2.
      const s2 = Math.log(1 + d.cv * d.cv);
      return Math.exp(Math.log(d.mean) - s2 / 2 + Math.sqrt(s2) * rng.normal());
    }
  }
}

/** Checks a distribution read from a file; `where` names it in the error. */
export function parseDistribution(value: unknown, where: string): Distribution {
  const v = value as Record<string, unknown>;
  const num = (k: string) => {
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k] as number) || (v[k] as number) < 0)
      throw new InputError(`${where}.${k}`, 'must be a non-negative number');
    return v[k] as number;
  };
  if (!v || typeof v !== 'object') throw new InputError(where, 'must be an object with a "dist" field');
  switch (v.dist) {
    case 'fixed':
      return { dist: 'fixed', value: num('value') };
    case 'exponential':
      return { dist: 'exponential', mean: num('mean') };
    case 'normal':
      return { dist: 'normal', mean: num('mean'), sd: num('sd') };
    case 'lognormal':
      if ('median' in v) return { dist: 'lognormal', median: num('median'), sigma: num('sigma') };
      return { dist: 'lognormal', mean: num('mean'), cv: num('cv') };
    default:
      throw new InputError(`${where}.dist`, `unknown distribution '${String(v.dist)}' (fixed, exponential, normal, lognormal)`);
  }
}

/** The mean of a distribution as drawn by sample() (the normal's clipping at zero ignored). */
export function distributionMean(d: Distribution): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'exponential':
    case 'normal':
      return d.mean;
    case 'lognormal':
      return 'median' in d ? d.median * Math.exp((d.sigma * d.sigma) / 2) : d.mean;
  }
}
