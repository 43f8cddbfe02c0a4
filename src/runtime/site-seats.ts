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

/**
 * The seats and answer groups a site declares: one Seat per seat port (an FXS
 * port on the seat board, or a simulated seat where the board has none), and for
 * each answer group its seats, its strategy by the site's name for it, and the
 * distributor that hands it answered calls. A site with seats but no answer
 * groups gets one group 'all' (round robin over every seat).
 */
export interface SiteAnswerGroup {
  group: AnswerGroup;
  distributor: SeatDistributor;
}

export interface SiteSeats {
  seats: readonly Seat[];
  answerGroups: ReadonlyMap<string, SiteAnswerGroup>;
  answerGroup(name: string): SiteAnswerGroup;
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
}

/** The seat's id as the site numbers it ("seat1", "seat2", ...): what the dashboard, commands and exports show. */
export function seatId(n: number): string {
  return `seat${n}`;
}

export function buildSiteSeats(site: SiteConfig, layout: SiteLayout, opts: SiteSeatsOptions): SiteSeats {
  const seatSpan = layout.spans.find((s) => s.board.id === site.seats?.board && s.profile.kind === 'analog')?.spanno;
  const seatNumbers = new Map<Seat, number>();
  const seats = layout.seats.map((slot) => {
    const endpoint: SeatEndpoint =
      slot.channo !== undefined && seatSpan !== undefined
        ? { kind: 'fxs', span: seatSpan, channel: slot.port! }
        : { kind: 'simulated', id: seatId(slot.seat) };
    const seat = new Seat(seatId(slot.seat), endpoint, { clock: opts.clock });
    seatNumbers.set(seat, slot.seat);
    return seat;
  });
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
      logger: opts.logger.child({ answerGroup: g.name }),
      playAbandonMessage: opts.playAbandonMessage,
      announceSeat: opts.announceSeat && ((call, seat) => opts.announceSeat!(call, seatNumbers.get(seat) ?? 0)),
    });
    answerGroups.set(g.name, { group, distributor });
  }
  return {
    seats,
    answerGroups,
    answerGroup(name) {
      const g = answerGroups.get(name);
      if (!g)
        throw new InputError('answer group', `no answer group '${name}' in this site (${[...answerGroups.keys()].join(', ') || 'none'})`);
      return g;
    },
  };
}
