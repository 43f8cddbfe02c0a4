/**
 * trunkpilot's own channel map (/etc/trunkpilot/channel-map.yaml): which DAHDI channels
 * form which trunk group with which signalling, where the seats are, the answer groups
 * and the caller-ID pool. The controller reads it at start.
 */
import { stringify } from 'yaml';
import { ChannelMap, ChannelMapAnalogLines, ChannelMapSpan } from './channel-map-types';
import { bearerChannels, SiteLayout } from './layout';
import { compressRanges } from './ranges';
import { LoadedSite } from './site-config';
import { generatedHeader } from './system-conf';
import { dahdiChannelNumber, E1_SIGNALLING_TIMESLOT } from '../core/timeslots';

export function buildChannelMap(loaded: LoadedSite, layout: SiteLayout): ChannelMap {
  const groups = new Map<string, { signalling: string; channels: number[] }>();
  const addGroup = (name: string, signalling: string, channels: number[]) => {
    const g = groups.get(name) ?? { signalling, channels: [] };
    g.channels.push(...channels);
    groups.set(name, g);
  };
  const spans = layout.spans
    .filter((s) => s.config)
    .map((s): ChannelMapSpan => {
      const c = s.config!;
      const bearer = bearerChannels(s);
      addGroup(c.trunkGroup, c.signalling, bearer);
      return {
        span: s.spanno,
        board: s.board.id,
        device: s.board.device,
        local: s.local,
        signalling: c.signalling as ChannelMapSpan['signalling'],
        trunkGroup: c.trunkGroup,
        channels: compressRanges(bearer),
        ...(c.framing === 'ccs'
          ? { dchannel: dahdiChannelNumber(s.basechan, c.dchannel ?? E1_SIGNALLING_TIMESLOT) }
          : { casIdleBits: c.casIdleBits }),
        ...(c.r2 ? { r2: c.r2 } : {}),
      };
    });
  const analog = layout.analog.map((a): ChannelMapAnalogLines => {
    addGroup(
      a.trunkGroup,
      'fxo',
      a.channels.map((c) => c.channo),
    );
    return {
      span: a.spanno,
      board: a.board.id,
      device: a.board.device,
      ports: a.group.ports,
      signalling: 'fxo' as const,
      trunkGroup: a.trunkGroup,
      channels: compressRanges(a.channels.map((c) => c.channo)),
      ...(a.group.ring ? { ring: a.group.ring } : {}),
    };
  });
  return {
    site: loaded.site.site,
    spans,
    analogLines: analog,
    trunkGroups: Object.fromEntries(
      [...groups].map(([name, g]) => [name, { signalling: g.signalling, channels: compressRanges(g.channels) }]),
    ),
    seats: layout.seats.map((s) =>
      s.channo === undefined
        ? { seat: s.seat, board: s.board, simulated: true as const }
        : { seat: s.seat, board: s.board, port: s.port!, channel: s.channo },
    ),
    answerGroups: loaded.site.answerGroups ?? [],
    callerIdPool: loaded.site.callerIdPool ?? [],
  };
}

export function renderChannelMap(loaded: LoadedSite, layout: SiteLayout): string {
  const header = generatedHeader(loaded, 'trunkpilot channel map (/etc/trunkpilot/channel-map.yaml)');
  return header.join('\n') + '\n' + stringify(buildChannelMap(loaded, layout), { lineWidth: 0 });
}
