import { Distribution, Rng, sample } from './random';

/**
 * The people behind the numbers the controller dials. Every simulated network
 * (PRI, China No.1, analog) asks the same population what a callee does, so an
 * outcome mix means the same thing whatever the signalling.
 */
export type CalleeBehaviour =
  | {
      kind: 'answer';
      ringMs: number;
      talkMs: number;
      /** Who or what picks up, where a network plays the callee's audio (default: drawn per line). */
      by?: AnswerParty;
      /** Keys the callee presses, each `afterMs` after the answer (a broadcast's "press 1"). */
      keys?: readonly KeyPress[];
      /** What the caller hears while it rings: the plan's ringback tone or colour ring-back (default: drawn). */
      ringback?: 'tone' | 'music';
    }
  | { kind: 'busy' }
  | { kind: 'unallocated' }
  | { kind: 'no_answer' }
  | { kind: 'congestion' }
  | { kind: 'absent' };

export type CalleeKind = CalleeBehaviour['kind'];

/**
 * Who picks up an answered call: a person, an answering machine, a fax or modem,
 * the network playing an announcement (after the China plan's 450 Hz info tone or
 * not), or nobody saying anything.
 */
export type AnswerParty = 'human' | 'machine' | 'fax' | 'announcement' | 'silence';

/** DTMF keys a callee presses `afterMs` after the answer, e.g. { keys: '1', afterMs: 4000 }. */
export interface KeyPress {
  keys: string;
  afterMs: number;
}

export interface PopulationOptions {
  seed: number | string;
  /** Relative weights of each behaviour. */
  mix?: Partial<Record<CalleeKind, number>>;
  ringSec?: Distribution;
  talkSec?: Distribution;
}

export const DEFAULT_MIX: Record<CalleeKind, number> = {
  answer: 0.55,
  busy: 0.1,
  unallocated: 0.08,
  no_answer: 0.15,
  congestion: 0.05,
  absent: 0.07,
};

export class CalleePopulation {
  private readonly mix: Record<CalleeKind, number>;
  private readonly overrides = new Map<string, CalleeBehaviour | CalleeKind>();
  private readonly attempts = new Map<string, number>();
  private readonly ringSec: Distribution;
  private readonly talkSec: Distribution;

  constructor(private readonly opts: PopulationOptions) {
    this.mix = { ...DEFAULT_MIX, ...(opts.mix ?? {}) };
    this.ringSec = opts.ringSec ?? { dist: 'lognormal', median: 0.2, sigma: 0.5 };
    this.talkSec = opts.talkSec ?? { dist: 'lognormal', median: 0.3, sigma: 0.5 };
  }

  /** Forces what a number does (a behaviour, or a kind with drawn timings). */
  override(number: string, behaviour: CalleeBehaviour | CalleeKind): void {
    this.overrides.set(number, behaviour);
  }

  clearOverride(number: string): void {
    this.overrides.delete(number);
  }

  /**
   * What the callee does on this attempt. Drawn from (seed, number, attempt), so
   * results do not depend on how concurrent calls interleave.
   */
  decide(number: string): CalleeBehaviour {
    const attempt = (this.attempts.get(number) ?? 0) + 1;
    this.attempts.set(number, attempt);
    const rng = new Rng(`${this.opts.seed}/${number}/${attempt}`);
    const forced = this.overrides.get(number);
    if (forced && typeof forced === 'object') return forced;
    const kind = forced ?? rng.pick(this.mix);
    if (kind === 'answer') {
      return { kind, ringMs: Math.round(sample(this.ringSec, rng) * 1000), talkMs: Math.round(sample(this.talkSec, rng) * 1000) };
    }
    return { kind };
  }
}
