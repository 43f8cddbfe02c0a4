/**
 * The channel map's shape, and the reader the controller uses at start. The writer is
 * channel-map.ts; both sides use these types so they cannot drift apart.
 */
import { ConfigFileError } from './errors';
import { expandRanges } from './ranges';
import { YamlSource } from './yaml-source';

export interface ChannelMapSpan {
  span: number;
  board: string;
  device: string;
  local: number;
  signalling: 'pri-cpe' | 'pri-net' | 'r2-cn' | 'ss7-isup' | 'ss7-tup';
  trunkGroup: string;
  /** Bearer channels, e.g. "1-15,17-31". */
  channels: string;
  dchannel?: number;
  casIdleBits?: string;
  r2?: { variant?: 'cn'; category?: number; maxAni?: number; maxDnis?: number; overrides?: Record<string, string | number | boolean> };
}

export interface ChannelMapAnalogLines {
  span: number;
  board: string;
  device: string;
  ports: string;
  signalling: 'fxo';
  trunkGroup: string;
  channels: string;
  ring?: { minVrms?: number; maxVrms?: number; minHz?: number; maxHz?: number };
}

export type ChannelMapSeat =
  { seat: number; board: string; simulated: true } | { seat: number; board: string; port: number; channel: number };

export interface ChannelMap {
  site: string;
  spans: ChannelMapSpan[];
  analogLines: ChannelMapAnalogLines[];
  trunkGroups: Record<string, { signalling: string; channels: string }>;
  seats: ChannelMapSeat[];
  answerGroups: { name: string; strategy: string; seats: string }[];
  callerIdPool: string[];
}

const LISTS = ['spans', 'analogLines', 'seats', 'answerGroups', 'callerIdPool'] as const;

/** Reads a channel map written by `provision apply`; a hand-damaged one is refused with its line. */
export function readChannelMap(file: string): ChannelMap {
  const source = YamlSource.fromFile(file);
  const data = source.data as Partial<ChannelMap> | null;
  const issues = [];
  if (typeof data !== 'object' || data === null) issues.push(source.issue([], 'a channel map must be a mapping'));
  else {
    if (typeof data.site !== 'string') issues.push(source.issue(['site'], 'must be the site name'));
    for (const key of LISTS) if (!Array.isArray(data[key])) issues.push(source.issue([key], 'must be a list'));
    if (typeof data.trunkGroups !== 'object' || data.trunkGroups === null) issues.push(source.issue(['trunkGroups'], 'must be a mapping'));
  }
  if (issues.length) throw new ConfigFileError(issues);
  return data as ChannelMap;
}

/** DAHDI channel numbers of a trunk group, in order. */
export function trunkGroupChannels(map: ChannelMap, name: string): number[] {
  const group = map.trunkGroups[name];
  return group ? expandRanges(group.channels) : [];
}
