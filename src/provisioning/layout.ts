/**
 * Where everything in a validated site lands in DAHDI's numbering: boards in site
 * order, every local span of each board given the next span number and a base
 * channel (E1: 31 channels, TS1-TS31; an analog board: one span, one channel per
 * port), then each configured timeslot or port mapped to its DAHDI channel.
 */
import { BoardProfile } from './board-profile';
import { expandRanges } from './ranges';
import { LoadedSite } from './site-config';
import { ResolvedSpan, resolveSpan, SiteBoard, SitePortGroup } from './site-types';
import { dahdiChannelNumber, E1_TIMESLOTS } from '../core/timeslots';

export interface SpanSlot {
  board: SiteBoard;
  profile: BoardProfile;
  local: number;
  spanno: number;
  basechan: number;
  channelCount: number;
  /** The site's settings for this span; undefined when the site leaves it unconfigured. */
  config?: ResolvedSpan;
}

export interface AnalogLines {
  board: SiteBoard;
  profile: BoardProfile;
  spanno: number;
  group: SitePortGroup;
  trunkGroup: string;
  /** DAHDI channel of each port, in port order. */
  channels: { port: number; channo: number }[];
}

export interface SeatSlot {
  seat: number;
  board: string;
  /** DAHDI channel of the seat's FXS port; undefined for simulated seats. */
  channo?: number;
  port?: number;
}

export interface SiteLayout {
  spans: SpanSlot[];
  analog: AnalogLines[];
  seats: SeatSlot[];
}

export function layoutSite(loaded: LoadedSite): SiteLayout {
  const { site, profiles } = loaded;
  const layout: SiteLayout = { spans: [], analog: [], seats: [] };
  let spanno = 1;
  let basechan = 1;
  const analogBase = new Map<string, number>();
  for (const board of site.boards) {
    const profile = profiles.get(board.profile)!.profile;
    if (profile.kind === 'analog') {
      const count = profile.ports?.count ?? 0;
      layout.spans.push({ board, profile, local: 1, spanno, basechan, channelCount: count });
      analogBase.set(board.id, basechan);
      for (const [g, group] of (board.ports ?? []).entries()) {
        layout.analog.push({
          board,
          profile,
          spanno,
          group,
          trunkGroup: group.trunkGroup ?? `${board.id}-lines${g + 1}`,
          channels: expandRanges(group.ports).map((port) => ({ port, channo: dahdiChannelNumber(basechan, port) })),
        });
      }
      spanno += 1;
      basechan += count;
      continue;
    }
    const configured = new Map((board.spans ?? []).map((s) => [s.local, s]));
    for (let local = 1; local <= (profile.spans?.count ?? 0); local++) {
      const span = configured.get(local);
      layout.spans.push({
        board,
        profile,
        local,
        spanno,
        basechan,
        channelCount: E1_TIMESLOTS,
        config: span ? resolveSpan(span, board.id, profile.impedances) : undefined,
      });
      spanno += 1;
      basechan += E1_TIMESLOTS;
    }
  }
  if (site.seats) {
    const base = analogBase.get(site.seats.board);
    const first = site.seats.firstPort ?? 1;
    for (let seat = 1; seat <= site.seats.count; seat++) {
      const port = first + seat - 1;
      layout.seats.push(
        base === undefined
          ? { seat, board: site.seats.board }
          : { seat, board: site.seats.board, port, channo: dahdiChannelNumber(base, port) },
      );
    }
  }
  return layout;
}

/** DAHDI channel numbers of a span's bearer timeslots. */
export function bearerChannels(slot: SpanSlot): number[] {
  return expandRanges(slot.config?.bearer ?? '').map((ts) => dahdiChannelNumber(slot.basechan, ts));
}
