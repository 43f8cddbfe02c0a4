/**
 * The seats of a simulated call run (`sim calls --seats N`, the soak): the product's
 * seats, answer group and seat distributor with simulated agents (the ones the pacing
 * runs use), so answered calls are handed to seats and a line fault hits calls that
 * are on them. At the end every seat must be ready again: one that is not is stuck.
 */
import { Clock } from '../src/core/clock';
import { Logger } from '../src/core/logger';
import { TrunkCall } from '../src/controller/trunk-call';
import { AnswerGroup } from '../src/seats/answer-group';
import { Seat, SeatState } from '../src/seats/seat';
import { SeatDistributor } from '../src/seats/seat-distributor';
import { SimulatedMediaBridge } from './ports/simulated-media-bridge';
import { Distribution, Rng, sample } from './random';
import { SimulatedAgents } from './virtual-trunk/simulated-agent';

export interface SeatPoolOptions {
  clock: Clock;
  seats: number;
  seed: number;
  logger: Logger;
  /** How long an agent talks before hanging up, if the callee has not (default lognormal, median 0.4 s: the callees' own talk is about as long). */
  agentTalkSec?: Distribution;
  /** After-call work (default lognormal, median 0.1 s). */
  wrapSec?: Distribution;
  /** An answered call that finds no ready seat hears the abandon message after this long (default 1 s). */
  abandonAfterSec?: number;
}

/** What became of the calls handed to seats, and the seats at the end. */
export interface SeatPoolFigures {
  seats: number;
  /** Answered calls handed to the seats. */
  routed: number;
  connected: number;
  /** No seat was ready within the wait limit: the abandon message, then hang-up. */
  abandoned: number;
  /** The customer hung up (or the line failed) before a seat took the call. */
  lost: number;
  /** Calls on a seat, by who ended them (a line fault ends them as 'fault'). */
  ended_by: Record<'seat' | 'trunk' | 'fault' | 'supervisor' | 'transfer', number>;
  /** Seats not ready once every call has ended and after-call work is done, by their state. */
  stuck: Partial<Record<SeatState, number>>;
}

export class SeatPool {
  readonly seats: Seat[];
  readonly distributor: SeatDistributor;
  private readonly figures: Omit<SeatPoolFigures, 'stuck' | 'seats'> = {
    routed: 0,
    connected: 0,
    abandoned: 0,
    lost: 0,
    ended_by: { seat: 0, trunk: 0, fault: 0, supervisor: 0, transfer: 0 },
  };
  private readonly wrapSec: Distribution;

  constructor(private readonly opts: SeatPoolOptions) {
    const { clock } = opts;
    this.wrapSec = opts.wrapSec ?? { dist: 'lognormal', median: 0.1, sigma: 0.5 };
    // A seat whose agent never finished wrap-up would be freed by the product after maxWrapSec: keep that
    // far beyond the run's settling time, so a seat stuck for any reason shows as stuck.
    this.seats = Array.from(
      { length: opts.seats },
      (_, i) => new Seat(`seat${i + 1}`, { kind: 'simulated', id: `seat${i + 1}` }, { clock, maxWrapSec: 3600 }),
    );
    const groupRng = new Rng(`${opts.seed}/seat-group`);
    this.distributor = new SeatDistributor({
      clock,
      group: new AnswerGroup('soak', this.seats, 'least-recent', () => groupRng.next()),
      bridge: new SimulatedMediaBridge(),
      abandonAfterSec: opts.abandonAfterSec ?? 1,
      // The message is not played on these rigs: the call is cleared at once.
      playAbandonMessage: async () => {},
      logger: opts.logger,
    });
    this.distributor.onEvent((ev) => {
      if (ev.type === 'talk-ended') this.figures.ended_by[ev.by]++;
      else this.figures[ev.type]++;
    });
    // The agents hang up after their own talk time; the run's callees hang up after theirs: whoever is first.
    const talk = opts.agentTalkSec ?? { dist: 'lognormal', median: 0.4, sigma: 0.5 };
    let talks = 0;
    new SimulatedAgents({
      clock,
      network: {
        truthOn: () => ({ kind: 'human', talkMs: sample(talk, new Rng(`${opts.seed}/agent-talk/${talks++}`)) * 1000, attempt: 0 }),
      },
      distributor: this.distributor,
      wrapSec: this.wrapSec,
      machineAgentSec: 0,
      seed: opts.seed,
    });
    for (const s of this.seats) s.login();
  }

  /** Hands an answered call to the seats; it ends however the seats or the line end it. */
  take(call: TrunkCall): void {
    this.figures.routed++;
    this.distributor.route(call).catch((err: unknown) => this.opts.logger.error('routing a call to a seat failed', { err: String(err) }));
  }

  /** Seats not ready now. */
  notReady(): Seat[] {
    return this.seats.filter((s) => !s.isReady);
  }

  report(): SeatPoolFigures {
    const stuck: Partial<Record<SeatState, number>> = {};
    for (const s of this.notReady()) stuck[s.state] = (stuck[s.state] ?? 0) + 1;
    return { seats: this.seats.length, ...this.figures, ended_by: { ...this.figures.ended_by }, stuck };
  }

  close(): void {
    for (const s of this.seats) s.close();
  }
}
