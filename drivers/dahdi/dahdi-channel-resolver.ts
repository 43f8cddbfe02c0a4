import { InputError } from '../../src/core/errors';
import { AnalogLines, SiteLayout, SpanSlot } from '../../src/provisioning/layout';
import { SeatEndpoint, TrunkLeg } from '../ports/media-port';
import { dahdiChannelNumber } from '../../src/core/timeslots';

export type FxsSeatEndpoint = Extract<SeatEndpoint, { kind: 'fxs' }>;

/**
 * Where a call's two ends are in DAHDI's channel numbering: the trunk leg's
 * timeslot (or analog line port) and the seat's FXS port. Throws InputError
 * naming the span and channel when nothing provisioned is there.
 */
export interface DahdiChannelResolver {
  trunkChannel(leg: TrunkLeg): number;
  seatChannel(seat: FxsSeatEndpoint): number;
}

/**
 * The resolver of a provisioned site. A trunk leg on an E1 span is timeslot n:
 * DAHDI channel basechan + n - 1; on analog lines it is the n-th line of the
 * span's FXO group (as FxoSpanSignalling numbers them). A seat is its FXS port n:
 * basechan + n - 1, and must be one of the site's seat ports, so a mistyped seat
 * never lands a customer on a trunk line.
 */
export function layoutChannelResolver(layout: SiteLayout): DahdiChannelResolver {
  const spans = new Map<number, SpanSlot>(layout.spans.map((s) => [s.spanno, s]));
  const seatChannels = new Set(layout.seats.flatMap((s) => (s.channo === undefined ? [] : [s.channo])));
  const lineGroups = new Map<number, AnalogLines[]>();
  for (const lines of layout.analog) lineGroups.set(lines.spanno, [...(lineGroups.get(lines.spanno) ?? []), lines]);
  const channelOf = (what: string, span: number, channel: number): number => {
    const slot = spans.get(span);
    if (!slot) throw new InputError(what, `span ${span} is not in the site layout`);
    if (!Number.isInteger(channel) || channel < 1 || channel > slot.channelCount) {
      throw new InputError(what, `channel ${channel} is outside span ${span}'s 1..${slot.channelCount}`);
    }
    return dahdiChannelNumber(slot.basechan, channel);
  };
  return {
    trunkChannel(leg) {
      const what = `trunk leg of call ${leg.callId}`;
      const groups = lineGroups.get(leg.span);
      if (groups) {
        // SiteTrunks gives every line group on a board the board's span number, so with two groups the span cannot say which.
        if (groups.length > 1)
          throw new InputError(
            what,
            `span ${leg.span} carries ${groups.length} FXO line groups (${groups.map((g) => g.trunkGroup).join(', ')}): the leg does not say which`,
          );
        const line = groups[0].channels[leg.channel - 1];
        if (!line)
          throw new InputError(what, `line ${leg.channel} is outside group ${groups[0].trunkGroup}'s 1..${groups[0].channels.length}`);
        return line.channo;
      }
      const channo = channelOf(what, leg.span, leg.channel);
      if (seatChannels.has(channo))
        throw new InputError(what, `span ${leg.span} channel ${leg.channel} is a seat port (DAHDI channel ${channo})`);
      return channo;
    },
    seatChannel(seat) {
      const what = `seat port ${seat.span}/${seat.channel}`;
      const channo = channelOf(what, seat.span, seat.channel);
      if (!seatChannels.has(channo)) throw new InputError(what, `DAHDI channel ${channo} is not one of the site's seat ports`);
      return channo;
    },
  };
}
