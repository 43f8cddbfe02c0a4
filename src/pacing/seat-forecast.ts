/**
 * The predictive pacer's forecast of free seats over the next seconds, as a
 * probability distribution over the count (0..seats), stepped bin by bin: each
 * bin some seats free up and some answered calls arrive (both taken as Poisson
 * with the expected counts the pacer worked out), and an answer that finds the
 * count at zero is lost. The expected number lost is what dialling n more calls
 * now would cost.
 *
 * This runs a few times per pacing decision, so it is written for speed: flat
 * typed arrays, no allocation per call, and the step over a bin split into the
 * part that loses calls, the part inside the pool and the part capped at full.
 */

// Math's functions held locally: hot loops run fast even where globals are slow to reach (jest's vm context).
const { ceil, exp, log, max, min } = Math;

/** Probabilities under this are dropped from the free-seat distribution. */
const NEGLIGIBLE = 1e-8;
/** Net-change probabilities under this (far tails of both Poisson counts) are left out. */
const NEGLIGIBLE_STEP = 1e-10;

export class SeatForecast {
  /** Two rows of the free-seat distribution (shared work buffers: one forecast at a time), and its support. */
  private dist: Float64Array;
  private next: Float64Array;
  private lo = 0;
  private hi = 0;
  /** Expected calls lost so far. */
  private lost = 0;
  /** The state after the first prefixBins bins (kept in scratch.prefix): those no call dialled now reaches. */
  private prefixBins = -1;
  private prefixLo = 0;
  private prefixHi = 0;
  private prefixLost = 0;
  /** Per bin, Poisson probabilities of 0, 1, ... releases, back to back in one array. */
  private readonly frees: Float64Array;
  private readonly freesStart: Int32Array;
  private readonly startFrees: Float64Array;
  private readonly startFreeCount: number;

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
    if (scratch.a.length < seats + 1) {
      scratch.a = new Float64Array(seats + 1);
      scratch.b = new Float64Array(seats + 1);
    }
    this.dist = scratch.a;
    this.next = scratch.b;
    // Releases do not depend on how many calls are dialled: worked out once.
    const bins = releases.length;
    if (scratch.freesStart.length < bins + 1) scratch.freesStart = new Int32Array(bins + 1);
    this.freesStart = scratch.freesStart;
    let total = 0;
    for (let k = 0; k < bins; k++) {
      if (scratch.frees.length < total + POISSON_MAX) {
        const grown = new Float64Array(2 * (total + POISSON_MAX));
        grown.set(scratch.frees.subarray(0, total));
        scratch.frees = grown;
      }
      total += poissonInto(releases[k], scratch.frees, total);
      this.freesStart[k + 1] = total;
    }
    this.frees = scratch.frees;
    this.startFreeCount = poissonInto(releasesAtStart, scratch.startFrees);
    this.startFrees = scratch.startFrees;
  }

  expectedLost(n: number): number {
    return this.expectedLostWith(n, this.fresh);
  }

  /**
   * The same with calls of another kind dialled now: `perCall[k]` is what one of
   * them adds to the answers expected in bin k, `n` times (blended campaigns:
   * their sum over the campaigns, with n = 1).
   */
  expectedLostWith(n: number, perCall: Float64Array): number {
    const bins = this.answers.length;
    // Bins before a call dialled now can be answered go the same whatever n (and perCall) is: stepped once, kept.
    let k0 = 0;
    while (k0 < bins && !(perCall[k0] > 0)) k0++;
    if (k0 !== this.prefixBins || scratch.prefixOwner !== this) {
      scratch.prefixOwner = this;
      this.prefixBins = k0;
      this.start();
      for (let k = 0; k < k0; k++) this.step(k, this.answers[k], this.seats);
      if (scratch.prefix.length < this.seats + 1) scratch.prefix = new Float64Array(this.seats + 1);
      scratch.prefix.set(this.dist.subarray(this.lo, this.hi + 1), this.lo);
      this.prefixLo = this.lo;
      this.prefixHi = this.hi;
      this.prefixLost = this.lost;
    }
    const reach = this.reachFor(n, perCall);
    this.dist.fill(0, 0, this.seats + 1);
    this.dist.set(scratch.prefix.subarray(this.prefixLo, this.prefixHi + 1), this.prefixLo);
    this.lo = this.prefixLo;
    this.hi = this.prefixHi;
    this.lost = this.prefixLost;
    for (let k = this.prefixBins; k < bins; k++) this.step(k, this.answers[k] + n * perCall[k], reach[k]);
    return this.lost;
  }

  /** The free-seat distribution at the start (before the first bin). */
  private start(): void {
    const seats = this.seats;
    const dist = this.dist;
    dist.fill(0, 0, seats + 1);
    let lost = 0;
    const r0 = this.startFrees;
    let lo = seats;
    let hi = 0;
    for (let r = 0; r < this.startFreeCount; r++) {
      const x = this.freeNow + r;
      const at = max(0, min(x, seats));
      if (x < 0) lost -= x * r0[r];
      dist[at] += r0[r];
      lo = min(lo, at);
      hi = max(hi, at);
    }
    this.lost = lost;
    this.lo = lo;
    this.hi = hi;
  }

  /**
   * One bin: `lambda` answers expected (Poisson) against the bin's releases; an
   * answer that finds no free seat is lost. Mass above `reachK` free seats (so many
   * that the answers still to come cannot use them all) loses nothing: left out.
   */
  private step(k: number, lambda: number, reachK: number): void {
    const seats = this.seats;
    const dist = this.dist;
    const next = this.next;
    const lo = this.lo;
    const hi = this.hi;
    let lost = this.lost;
    const arrivals = scratch.arrivals;
    const frees = this.frees;
    // Net change of free seats in the bin: releases minus answers, offset by the most answers.
    const arrivalCount = poissonInto(lambda, arrivals);
    const f0 = this.freesStart[k];
    const freeCount = this.freesStart[k + 1] - f0;
    const offset = arrivalCount - 1;
    const netLength = freeCount + arrivalCount - 1;
    if (scratch.net.length < netLength) scratch.net = new Float64Array(netLength * 2);
    const net = scratch.net;
    net.fill(0, 0, netLength);
    for (let r = 0; r < freeCount; r++) {
      const pr = frees[f0 + r];
      const base = r + offset;
      for (let a = 0; a < arrivalCount; a++) net[base - a] += pr * arrivals[a];
    }
    // The net change's far tails (products of two Poisson tails) move nothing measurable: left out.
    let jFirst = 0;
    while (jFirst < offset && net[jFirst] < NEGLIGIBLE_STEP) jFirst++;
    let jLast = netLength - 1;
    while (jLast > offset && net[jLast] < NEGLIGIBLE_STEP) jLast--;
    next.fill(0, lo - offset > 0 ? lo - offset : 0, min(seats, hi + netLength - 1 - offset) + 1);
    let nlo = seats;
    let nhi = 0;
    const top = min(hi, reachK);
    for (let f = lo; f <= top; f++) {
      const pf = dist[f];
      if (pf < NEGLIGIBLE) continue;
      // j < offset - f ends below zero (calls lost); j > seats + offset - f ends above a full pool.
      const shift = f - offset;
      const jLow = min(jLast + 1, max(jFirst, -shift));
      const jHigh = min(jLast + 1, max(jLow, seats - shift + 1));
      let under = 0;
      for (let j = jFirst; j < jLow; j++) {
        const p = pf * net[j];
        lost -= (shift + j) * p;
        under += p;
      }
      if (jLow > jFirst) next[0] += under;
      for (let j = jLow; j < jHigh; j++) next[shift + j] += pf * net[j];
      if (jHigh <= jLast) {
        let over = 0;
        for (let j = jHigh; j <= jLast; j++) over += pf * net[j];
        next[seats] += over;
      }
      const low = shift + jFirst > 0 ? shift + jFirst : 0;
      const high = shift + jLast < seats ? shift + jLast : seats;
      if (low < nlo) nlo = low;
      if (high > nhi) nhi = high;
    }
    this.dist = next;
    this.next = dist;
    this.lo = nlo;
    this.hi = nhi;
    this.lost = lost;
  }

  /**
   * Per bin, a count of free seats that the answers still to come (Poisson, the
   * sum of the bins' expected answers from there on) exceed only with a negligible
   * expected excess: mass above it can lose no call.
   */
  private reachFor(n: number, perCall: Float64Array): Int32Array {
    const bins = this.answers.length;
    if (scratch.reach.length < bins) scratch.reach = new Int32Array(bins * 2);
    const reach = scratch.reach;
    let lambda = 0;
    for (let k = bins - 1; k >= 0; k--) {
      lambda += this.answers[k] + n * perCall[k];
      reach[k] = reachTable(lambda);
    }
    return reach;
  }
}

/**
 * The least f above which a Poisson(lambda) count's expected excess E[(N - f)+] is
 * under 1e-13 (a Chernoff bound on the tail, with the tail's geometric decay).
 */
function poissonReach(lambda: number): number {
  if (lambda <= 1e-9) return 0;
  const logLambda = log(lambda);
  for (let f = ceil(lambda) + 1; ; f++) {
    const logTail = -lambda + f - f * (log(f) - logLambda);
    if (logTail + log(f / (f - lambda)) < LOG_NEGLIGIBLE_EXCESS) return f;
  }
}
const LOG_NEGLIGIBLE_EXCESS = log(1e-13);

/** poissonReach on a grid of lambda (1/16 apart, rounded up: never less), filled as asked. */
const REACH_GRID = 16;
let reachByGrid = new Int32Array(0);
function reachTable(lambda: number): number {
  const i = ceil(lambda * REACH_GRID);
  if (i >= reachByGrid.length) {
    const grown = new Int32Array(max(i + 1, reachByGrid.length * 2, 1024)).fill(-1);
    grown.set(reachByGrid);
    reachByGrid = grown;
  }
  if (reachByGrid[i] < 0) reachByGrid[i] = poissonReach(i / REACH_GRID);
  return reachByGrid[i];
}

/** Work buffers shared by all forecasts (one decision at a time). */
const scratch = {
  arrivals: new Float64Array(512),
  startFrees: new Float64Array(512),
  frees: new Float64Array(4096),
  freesStart: new Int32Array(128),
  net: new Float64Array(1024),
  reach: new Int32Array(256),
  prefix: new Float64Array(0),
  prefixOwner: undefined as SeatForecast | undefined,
  a: new Float64Array(0),
  b: new Float64Array(0),
};

/**
 * Poisson probabilities 0..K into `out`, with the tail beyond 1e-6 dropped (and
 * folded into the last); returns how many were written.
 */
function poissonInto(lambda: number, out: Float64Array, at = 0): number {
  if (lambda <= 1e-9) {
    out[at] = 1;
    return 1;
  }
  const size = min(POISSON_MAX, out.length - at);
  let p = exp(-lambda);
  let cum = 0;
  let k = 0;
  for (; k < size; k++) {
    out[at + k] = p;
    cum += p;
    if (cum > 1 - 1e-6 && k >= lambda) break;
    p *= lambda / (k + 1);
  }
  const last = min(k, size - 1);
  out[at + last] += max(0, 1 - cum);
  return last + 1;
}

/** The most Poisson probabilities poissonInto writes (a bin's expected count is far below it). */
const POISSON_MAX = 512;
