/**
 * The predictive pacer's forecast of free seats over the next seconds, as a
 * probability distribution over the count (0..seats), stepped bin by bin: each
 * bin some seats free up and some answered calls arrive (both taken as Poisson
 * with the expected counts the pacer worked out), and an answer that finds the
 * count at zero is lost. The expected number lost is what dialling n more calls
 * now would cost.
 */

// Math's functions held locally: hot loops run fast even where globals are slow to reach (jest's vm context).
const { exp, max, min } = Math;
export class SeatForecast {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly frees: Float64Array[];
  private readonly startFrees: Float64Array;

  constructor(
    private readonly seats: number,
    /** Ready seats minus answered calls already waiting (may be negative). */
    private readonly freeNow: number,
    /** Seats expected to free up within the grace (they can still take a waiting call). */
    releasesAtStart: number,
    private readonly answers: Float64Array,
    releases: Float64Array,
    /** Per bin, the chance that one call dialled now is answered in it. */
    private readonly fresh: Float64Array,
  ) {
    this.a = new Float64Array(seats + 1);
    this.b = new Float64Array(seats + 1);
    // Releases do not depend on how many calls are dialled: worked out once.
    this.frees = Array.from(releases, (r) => poisson(r));
    this.startFrees = poisson(releasesAtStart);
  }

  expectedLost(n: number): number {
    let dist = this.a;
    let next = this.b;
    dist.fill(0);
    let lost = 0;
    const r0 = this.startFrees;
    let lo = this.seats;
    let hi = 0;
    for (let r = 0; r < r0.length; r++) {
      const x = this.freeNow + r;
      const at = max(0, min(x, this.seats));
      if (x < 0) lost -= x * r0[r];
      dist[at] += r0[r];
      lo = min(lo, at);
      hi = max(hi, at);
    }
    for (let k = 0; k < this.answers.length; k++) {
      // Net change of free seats in the bin: releases minus answers, offset by the most answers.
      const arrivals = scratch.arrivals;
      const arrivalCount = poissonInto(this.answers[k] + n * this.fresh[k], arrivals);
      const frees = this.frees[k];
      const offset = arrivalCount - 1;
      const netLength = frees.length + arrivalCount - 1;
      if (scratch.net.length < netLength) scratch.net = new Float64Array(netLength * 2);
      const net = scratch.net;
      net.fill(0, 0, netLength);
      for (let r = 0; r < frees.length; r++) for (let a = 0; a < arrivalCount; a++) net[r - a + offset] += frees[r] * arrivals[a];
      next.fill(0, 0, this.seats + 1);
      let nlo = this.seats;
      let nhi = 0;
      for (let f = lo; f <= hi; f++) {
        const pf = dist[f];
        if (pf < 1e-10) continue;
        for (let j = 0; j < netLength; j++) {
          const x = f + j - offset;
          const p = pf * net[j];
          let at = x;
          if (x < 0) {
            lost -= x * p;
            at = 0;
          } else if (x > this.seats) at = this.seats;
          next[at] += p;
          if (at < nlo) nlo = at;
          if (at > nhi) nhi = at;
        }
      }
      [dist, next] = [next, dist];
      lo = nlo;
      hi = nhi;
    }
    return lost;
  }
}

/** Work buffers shared by all forecasts (one decision at a time). */
const scratch = { arrivals: new Float64Array(512), net: new Float64Array(1024) };

/** Poisson probabilities into `out` (see poisson); returns how many were written. */
function poissonInto(lambda: number, out: Float64Array): number {
  if (lambda <= 1e-9) {
    out[0] = 1;
    return 1;
  }
  let p = exp(-lambda);
  let cum = 0;
  let k = 0;
  for (; k < out.length; k++) {
    out[k] = p;
    cum += p;
    if (cum > 1 - 1e-6 && k >= lambda) break;
    p *= lambda / (k + 1);
  }
  const last = min(k, out.length - 1);
  out[last] += max(0, 1 - cum);
  return last + 1;
}

/** Poisson probabilities 0..K with the tail beyond 1e-6 dropped (and folded into the last). */
function poisson(lambda: number): Float64Array {
  if (lambda <= 1e-9) return ONE;
  const out: number[] = [];
  let p = exp(-lambda);
  let cum = 0;
  for (let k = 0; k < 400; k++) {
    out.push(p);
    cum += p;
    if (cum > 1 - 1e-6 && k >= lambda) break;
    p *= lambda / (k + 1);
  }
  out[out.length - 1] += max(0, 1 - cum);
  return Float64Array.from(out);
}

const ONE = Float64Array.from([1]);
