import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger } from '../core/logger';
import { TrunkCall } from '../controller/trunk-call';
import { SiteLayout } from '../provisioning/layout';
import { expandRanges } from '../provisioning/ranges';
import { SiteConfig } from '../provisioning/site-types';
import { AnswerGroup, parseAnswerStrategy } from '../seats/answer-group';
import { MediaBridge } from '../../drivers/ports/media-port';
import { Seat, SeatEndpoint } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { SeatPhone } from '../seats/seat-answering';
import { SeatPhoneAgent } from '../seats/seat-phone';
import { AgentDialer, RemoteAgentLine } from '../seats/remote-agent';

/**
 * The seats and answer groups a site declares: one Seat per seat port (an FXS
 * port on the seat board, or a simulated seat where the board has none) and one per
 * remote agent after them, and for each answer group its seats, its strategy by the
 * site's name for it, and the distributor that hands it answered calls. A site with
 * seats but no answer groups gets one group 'all' (round robin over every seat).
 * An FXS seat whose phone the gateway opened is driven by it (SeatPhoneAgent: ring,
 * hook, feature codes); a remote agent is called out on its trunk group.
 */
export interface SiteAnswerGroup {
  group: AnswerGroup;
  distributor: SeatDistributor;
}

export interface SiteSeats {
  seats: readonly Seat[];
  answerGroups: ReadonlyMap<string, SiteAnswerGroup>;
  answerGroup(name: string): SiteAnswerGroup;
  seat(id: string): Seat;
  /** The distributor carrying the seat's live call, if it has one. */
  distributorOf(seatId: string): SeatDistributor | undefined;
  /** Stops the phones' and remote agents' handling (hanging up remote legs) and the seats' timers. */
  close(): void;
}

export interface SiteSeatsOptions {
  clock: Clock;
  logger: Logger;
  bridge: MediaBridge;
  /** Plays the sorry-message to an answered call no seat could take in time. */
  playAbandonMessage: (call: TrunkCall) => Promise<void>;
  /** Announces the seat's number (as the site numbers it) to the customer before it is put through. */
  announceSeat?: (call: TrunkCall, seatNumber: number) => Promise<void>;
  abandonAfterSec?: number;
  /** Uniform [0, 1) for the random strategy. */
  random?: () => number;
  /** The phone of an FXS seat, when the gateway opened it (absent: the seat takes calls at once). */
  phoneOf?: (seatNumber: number) => SeatPhone | undefined;
  /** Calls remote agents out on the named trunk group. */
  agentDialer?: (trunkGroup: string, where: string) => AgentDialer;
}

/** The seat's id as the site numbers it ("seat1", "seat2", ...): what the dashboard, commands and exports show. */
export function seatId(n: number): string {
  return `seat${n}`;
}

export function buildSiteSeats(site: SiteConfig, layout: SiteLayout, opts: SiteSeatsOptions): SiteSeats {
  const seatSpan = layout.spans.find((s) => s.board.id === site.seats?.board && s.profile.kind === 'analog')?.spanno;
  // A seat stays reserved while it is alerted: the reservation outlasts the longest ring.
  const seatOpts = {
    clock: opts.clock,
    maxWrapSec: site.seats?.wrapSec,
    reserveTimeoutSec: Math.max(120, (site.seats?.ringSec ?? 15) + 30),
  };
  // The seat number the agent-number announcement speaks.
  const seatNumbers = new Map<Seat, number>();
  const seats = layout.seats.map((slot) => {
    const endpoint: SeatEndpoint =
      slot.channo !== undefined && seatSpan !== undefined
        ? { kind: 'fxs', span: seatSpan, channel: slot.port! }
        : { kind: 'simulated', id: seatId(slot.seat) };
    const seat = new Seat(seatId(slot.seat), endpoint, seatOpts);
    seatNumbers.set(seat, slot.seat);
    return seat;
  });
  const remote = site.seats?.remote ?? [];
  for (const r of remote) {
    const seat = new Seat(seatId(seats.length + 1), { kind: 'remote', number: r.number }, seatOpts);
    seatNumbers.set(seat, seats.length + 1);
    seats.push(seat);
  }
  const declared = site.answerGroups?.length
    ? site.answerGroups
    : seats.length
      ? [{ name: 'all', strategy: 'round-robin', seats: `1-${seats.length}` }]
      : [];
  const answerGroups = new Map<string, SiteAnswerGroup>();
  for (const [i, g] of declared.entries()) {
    const members = expandRanges(g.seats).map((n) => {
      const seat = seats[n - 1];
      if (!seat) throw new InputError(`answerGroups[${i}].seats`, `seat ${n} does not exist (the site has ${seats.length})`);
      return seat;
    });
    const group = new AnswerGroup(g.name, members, parseAnswerStrategy(g.strategy, `answerGroups[${i}].strategy`), opts.random);
    const distributor = new SeatDistributor({
      clock: opts.clock,
      group,
      bridge: opts.bridge,
      abandonAfterSec: opts.abandonAfterSec ?? 2,
      ringSec: site.seats?.ringSec,
      logger: opts.logger.child({ answerGroup: g.name }),
      playAbandonMessage: opts.playAbandonMessage,
      announceSeat: opts.announceSeat && ((call, seat) => opts.announceSeat!(call, seatNumbers.get(seat) ?? 0)),
    });
    answerGroups.set(g.name, { group, distributor });
  }
  const distributorOf = (seatId: string) => [...answerGroups.values()].find((g) => g.distributor.liveCall(seatId))?.distributor;
  const hangUp = (seat: Seat) => distributorOf(seat.id)?.hangupFromSeat(seat.id);
  const closers: (() => void)[] = [];
  layout.seats.forEach((slot, i) => {
    const phone = opts.phoneOf?.(slot.seat);
    if (!phone) return;
    const agent = new SeatPhoneAgent(seats[i], phone, { clock: opts.clock, logger: opts.logger, hangUp });
    seats[i].answering = agent;
    closers.push(() => agent.close());
  });
  remote.forEach((r, i) => {
    const seat = seats[layout.seats.length + i];
    if (!opts.agentDialer) throw new InputError(`seats.remote[${i}]`, 'this gateway has no trunks to call remote agents on');
    const line = new RemoteAgentLine(seat, r.number, {
      mode: r.mode ?? 'per-call',
      dial: opts.agentDialer(r.trunkGroup, `seats.remote[${i}].trunkGroup`),
      hangUp,
      logger: opts.logger,
    });
    seat.answering = line;
    closers.push(() => line.close());
  });
  return {
    seats,
    answerGroups,
    distributorOf,
    seat(id) {
      const s = seats.find((x) => x.id === id);
      if (!s) throw new InputError('seat', `no seat '${id}' in this site (seat1..seat${seats.length})`);
      return s;
    },
    close() {
      for (const c of closers.splice(0)) c();
      for (const s of seats) s.close();
    },
    answerGroup(name) {
      const g = answerGroups.get(name);
      if (!g)
        throw new InputError('answer group', `no answer group '${name}' in this site (${[...answerGroups.keys()].join(', ') || 'none'})`);
      return g;
    },
  };
}
