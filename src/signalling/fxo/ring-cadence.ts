/**
 * Incoming ring cadences by zone: each burst the line may carry (ms). A ring is
 * counted when a burst's length fits one of them; bursts that fit none (a tap on
 * the line, a short distinctive ring we were not told about) are not counted.
 */
export interface RingCadence {
  zone: string;
  /** On and off durations, repeated. */
  cadenceMs: readonly number[];
}

export const RING_CADENCES: Readonly<Record<string, RingCadence>> = {
  cn: { zone: 'cn', cadenceMs: [1000, 4000] },
  us: { zone: 'us', cadenceMs: [2000, 4000] },
  uk: { zone: 'uk', cadenceMs: [400, 200, 400, 2000] },
  de: { zone: 'de', cadenceMs: [1000, 4000] },
  jp: { zone: 'jp', cadenceMs: [1000, 2000] },
};

export interface RingQualifierOptions {
  cadence: RingCadence;
  /** Relative tolerance on a burst (default 30%). */
  tolerance?: number;
  /** The board reports ring-end this much after the ring stops (ring-off debounce). */
  ringOffDebounceMs?: number;
}

export class RingQualifier {
  private readonly bursts: number[];
  private readonly tol: number;
  private readonly debounce: number;

  constructor(private readonly opts: RingQualifierOptions) {
    const c = opts.cadence.cadenceMs;
    this.bursts = c.filter((_, i) => i % 2 === 0);
    this.tol = opts.tolerance ?? 0.3;
    this.debounce = opts.ringOffDebounceMs ?? 0;
  }

  /** Whether a burst of this length (ring-begin to ring-end, as reported) is a ring of the zone. */
  fits(reportedMs: number): boolean {
    const ms = reportedMs - this.debounce;
    return this.bursts.some((b) => Math.abs(ms - b) <= Math.max(b * this.tol, 150));
  }

  /** How long after a burst the next one must have started, or the caller gave up. */
  get abandonAfterMs(): number {
    const offs = this.opts.cadence.cadenceMs.filter((_, i) => i % 2 === 1);
    return Math.max(...offs) * (1 + this.tol) + 1000;
  }
}
