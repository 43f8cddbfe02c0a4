/**
 * The site file an installer writes once: boards, per-span signalling, analog lines,
 * seats, answer groups, caller-ID pool. Loading checks it against the shipped schema,
 * then against the boards' profiles (site-rules.ts); every finding names file, line
 * and field, and nothing of a file with findings is used.
 */
import { ConfigFileError } from './errors';
import { EchoCancellerChoice, LoadedProfile, Signalling } from './board-profile';
import { checkSchema } from './schema-check';
import { checkSiteRules } from './site-rules';
import { YamlSource } from './yaml-source';

export interface SiteSpan {
  local: number;
  signalling: Signalling;
  framing?: 'ccs' | 'cas';
  coding?: 'hdb3' | 'ami';
  crc4?: boolean;
  timing?: number;
  impedance?: 75 | 120;
  dchannel?: number;
  bearer?: string;
  casIdleBits?: string;
  trunkGroup?: string;
  r2?: { variant?: 'cn'; category?: number; maxAni?: number; maxDnis?: number; overrides?: Record<string, string | number | boolean> };
}

export interface RingWindow {
  minVrms?: number;
  maxVrms?: number;
  minHz?: number;
  maxHz?: number;
}

export interface SitePortGroup {
  ports: string;
  signalling: 'fxo';
  trunkGroup?: string;
  ring?: RingWindow;
}

export interface SiteBoard {
  id: string;
  profile: string;
  device: string;
  echoCanceller?: EchoCancellerChoice;
  spans?: SiteSpan[];
  ports?: SitePortGroup[];
}

export interface SiteConfig {
  version: 1;
  site: string;
  toneZone?: string;
  boards: SiteBoard[];
  seats?: { board: string; count: number; firstPort?: number };
  answerGroups?: { name: string; strategy: string; seats: string }[];
  callerIdPool?: string[];
  telemetry?: SiteTelemetry;
  /** Read only by `trunkpilot run --simulate`. */
  simulation?: SiteSimulation;
}

/** What `trunkpilot run` publishes and where, and who may send it commands. */
export interface SiteTelemetry {
  gateway?: string;
  host?: string;
  mqttPort?: number;
  dashboardPort?: number | false;
  broker?: { url: string; username?: string; password?: string; protocolVersion?: 4 | 5; dashboardWebSocketUrl?: string };
  influx?: { url: string; database: string; username?: string; password?: string; intervalMs?: number };
  numbers?: 'masked' | 'clear';
  users?: { name: string; password: string; allow: string[] }[];
}

/** A duration in seconds drawn from a distribution (the simulator's Distribution). */
export type SiteDistribution = { dist: string; [k: string]: number | string };

export interface SiteSimulation {
  seed?: number | string;
  callees?: { mix?: Record<string, number>; ringSec?: SiteDistribution; talkSec?: SiteDistribution; noAnswerSec?: number };
  agents?: { wrapSec?: SiteDistribution; loggedIn?: number };
}

export interface LoadedSite {
  site: SiteConfig;
  source: YamlSource;
  profiles: Map<string, LoadedProfile>;
}

export function siteFromSource(source: YamlSource, profiles: Map<string, LoadedProfile>): LoadedSite {
  const structural = checkSchema('site', source);
  if (structural.length) throw new ConfigFileError(structural);
  const site = source.data as SiteConfig;
  const semantic = checkSiteRules(site, source, profiles);
  if (semantic.length) throw new ConfigFileError(semantic);
  return { site, source, profiles };
}

export function loadSite(file: string, profiles: Map<string, LoadedProfile>): LoadedSite {
  return siteFromSource(YamlSource.fromFile(file), profiles);
}

/** A span's settings with the defaults filled in. */
export interface ResolvedSpan {
  local: number;
  signalling: SiteSpan['signalling'];
  framing: 'ccs' | 'cas';
  coding: 'hdb3' | 'ami';
  crc4: boolean;
  timing: number;
  impedance: number;
  /** TS of the D-channel (PRI only). */
  dchannel?: number;
  /** Bearer timeslots 1-31. */
  bearer: string;
  /** ABCD idle bits (CAS only). */
  casIdleBits?: string;
  trunkGroup: string;
  r2?: SiteSpan['r2'];
}

export const DEFAULT_BEARER = '1-15,17-31';

export function resolveSpan(span: SiteSpan, boardId: string, impedances: readonly number[]): ResolvedSpan {
  const pri = span.signalling === 'pri-cpe' || span.signalling === 'pri-net';
  const framing = span.framing ?? (pri ? 'ccs' : 'cas');
  return {
    local: span.local,
    signalling: span.signalling,
    framing,
    coding: span.coding ?? 'hdb3',
    crc4: span.crc4 ?? pri,
    timing: span.timing ?? 0,
    impedance: span.impedance ?? (impedances.includes(120) ? 120 : impedances[0] ?? 120),
    dchannel: pri ? span.dchannel ?? 16 : span.dchannel,
    bearer: span.bearer ?? DEFAULT_BEARER,
    casIdleBits: framing === 'cas' ? span.casIdleBits ?? (span.signalling === 'r2-cn' ? '1111' : '1101') : undefined,
    trunkGroup: span.trunkGroup ?? `${boardId}-span${span.local}`,
    r2: span.signalling === 'r2-cn' ? { variant: 'cn', ...span.r2 } : undefined,
  };
}
