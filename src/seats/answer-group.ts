import { InputError } from '../core/errors';
import { Seat } from './seat';

/**
 * An answer group: the seats a campaign's answered calls may go to, and the rule
 * that picks among the ready ones.
 * - ring-all: every ready seat is offered at once; the first to take it wins
 * - round-robin, or memory (the seed's name for it): the next seat after the one served last
 * - random
 * - least-recent: the seat that has waited longest since its last call
 * - least-answered: the seat that has taken the fewest calls
 * - priority: the smallest priority number first (ties in group order)
 * A preferred seat (the agent who called a customer who now calls back) is taken
 * first when it is ready; otherwise the strategy picks.
 */
export type AnswerStrategy = 'ring-all' | 'round-robin' | 'memory' | 'random' | 'least-recent' | 'least-answered' | 'priority';
/** Every strategy by the name site files write (board-profiles/schema/site.schema.json lists the same names; a test checks). */
export const ANSWER_STRATEGIES: readonly AnswerStrategy[] = [
  'ring-all',
  'round-robin',
  'memory',
  'random',
  'least-recent',
  'least-answered',
  'priority',
];

export function parseAnswerStrategy(value: string, where = 'answer group strategy'): AnswerStrategy {
  if ((ANSWER_STRATEGIES as readonly string[]).includes(value)) return value as AnswerStrategy;
  throw new InputError(where, `unknown strategy '${value}' (${ANSWER_STRATEGIES.join(', ')})`);
}

export interface SeatOffer {
  /** Seats to offer the call to, in order; under ring-all they are offered together. */
  seats: Seat[];
  simultaneous: boolean;
}

export class AnswerGroup {
  private lastServedIndex = -1;

  constructor(
    readonly name: string,
    readonly seats: readonly Seat[],
    readonly strategy: AnswerStrategy,
    /** Uniform [0, 1): injected so that the random strategy is reproducible. */
    private readonly random: () => number = Math.random,
  ) {}

  readySeats(): Seat[] {
    return this.seats.filter((s) => s.isReady);
  }

  /** Which ready seats to offer a call to, best first; empty when none is ready. */
  offer(preferredSeatId?: string): SeatOffer {
    const ready = this.readySeats();
    if (ready.length === 0) return { seats: [], simultaneous: false };
    const preferred = preferredSeatId === undefined ? undefined : ready.find((s) => s.id === preferredSeatId);
    if (preferred) return { seats: [preferred], simultaneous: false };
    // A customer calling back whose agent is busy reaches a random free one.
    if (preferredSeatId !== undefined) return { seats: [ready[Math.floor(this.random() * ready.length)]], simultaneous: false };
    return { seats: this.rank(ready), simultaneous: this.strategy === 'ring-all' };
  }

  /** Tells the group which seat took a call (round robin remembers it). */
  served(seat: Seat): void {
    const i = this.seats.indexOf(seat);
    if (i >= 0) this.lastServedIndex = i;
  }

  private rank(ready: Seat[]): Seat[] {
    const order = (s: Seat) => this.seats.indexOf(s);
    switch (this.strategy) {
      case 'ring-all':
        return ready;
      case 'round-robin':
      case 'memory': {
        const n = this.seats.length;
        const distance = (s: Seat) => (order(s) - this.lastServedIndex - 1 + n) % n;
        return [...ready].sort((a, b) => distance(a) - distance(b));
      }
      case 'random': {
        const shuffled = [...ready];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        return shuffled;
      }
      case 'least-recent':
        return [...ready].sort((a, b) => a.lastServedAt - b.lastServedAt || order(a) - order(b));
      case 'least-answered':
        return [...ready].sort((a, b) => a.answeredCount - b.answeredCount || order(a) - order(b));
      case 'priority':
        return [...ready].sort((a, b) => a.priority - b.priority || order(a) - order(b));
    }
  }
}
