/**
 * The shape of a site file (as the schema admits it) and a span's settings with
 * the defaults filled in. Loading and checking are in site-config.ts and
 * site-rules.ts, which both read these.
 */
import { EchoCancellerChoice, Signalling } from './board-profile';
import { E1_BEARER_RANGES } from '../core/timeslots';

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
  ss7?: SiteSs7;
}

/** A No.7 span's signalling point settings, as the site writes them. */
export interface SiteSs7 {
  variant?: 'china' | 'itu';
  opc: string | number;
  dpc: string | number;
  linkTimeslot?: number;
  linkMode?: 'mtp2' | 'dchan';
  networkIndicator?: 'national' | 'international';
  cicBase?: number;
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

/** A GSM/LTE voice module used as a trunk: its AT port by stable path or by USB serial number. */
export interface SiteModem {
  id: string;
  profile: string;
  port?: string;
  usbSerial?: string;
  /** The PCM voice port, for models that carry voice on a serial port. */
  voicePort?: string;
  trunkGroup?: string;
  /** Environment variable holding the SIM PIN. */
  simPinEnv?: string;
  dailyCallCap?: number;
  minRssi?: number;
}

/** What happens to a GSM module plugged in while `run` is up that `modems:` does not list. */
export interface SiteModemHotplug {
  /** Use it as a trunk (default false: it is only reported in telemetry as unassigned). */
  adoptUnknown?: boolean;
  /** The trunk group an adopted module joins (default gsm). */
  trunkGroup?: string;
  dailyCallCap?: number;
  minRssi?: number;
}

export interface SiteRemoteAgent {
  number: string;
  trunkGroup: string;
  mode?: 'per-call' | 'nailed-up';
}

export interface SiteSeatsConfig {
  board: string;
  count: number;
  firstPort?: number;
  /** Seconds a seat is alerted before it counts as not answering (default 15). */
  ringSec?: number;
  /** After-call work limit in seconds (default 120). */
  wrapSec?: number;
  /** Remote agents, numbered after the board's seats. */
  remote?: SiteRemoteAgent[];
}

export interface SiteConfig {
  version: 1;
  site: string;
  toneZone?: string;
  /** ISO 3166-1 alpha-2; defaults from toneZone (kernel-modules.ts). */
  country?: string;
  boards: SiteBoard[];
  seats?: SiteSeatsConfig;
  answerGroups?: { name: string; strategy: string; seats: string; record?: boolean }[];
  callerIdPool?: string[];
  /** Incoming calls: which answer group takes them, and how they wait (src/inbound). */
  inbound?: SiteInbound;
  /** Privacy numbers A-X-B (src/privacy). */
  privacy?: SitePrivacy;
  modems?: SiteModem[];
  modemHotplug?: SiteModemHotplug;
  telemetry?: SiteTelemetry;
  /** Recorded messages and call recording (paths relative to the site file). */
  voice?: SiteVoice;
  /** Read only by `trunkpilot run --simulate`. */
  simulation?: SiteSimulation;
}

export interface SiteVoice {
  abandonMessage?: string;
  agentNumber?: { pattern: string; digits: string; before?: string; after?: string };
  recordings?: { dir?: string; retentionDays?: number };
}

export interface SiteInbound {
  /** First match wins: a called number (or prefix ending in '*') and/or the trunk group it came in on. */
  rules?: { called?: string; trunkGroup?: string; answerGroup: string }[];
  queue?: { maxWaiting?: number; maxWaitSec?: number; serviceLevelSec?: number; music?: string; sorry?: string };
}

export interface SitePrivacy {
  /** The X numbers, as the network presents them when called. */
  pool: string[];
  /** Where the far leg is dialled (default: the trunk group the call came in on; for a callback, the site's first). */
  trunkGroup?: string;
  defaultExpirySec?: number;
  ringTimeoutSec?: number;
  /** Voice file played to a call to an X with no binding for the caller (without one it is released unallocated). */
  announcement?: string;
}

/** What `trunkpilot run` publishes and where, and who may send it commands. */
export interface SiteTelemetry {
  gateway?: string;
  host?: string;
  mqttPort?: number;
  dashboardPort?: number | false;
  /** Home Assistant MQTT discovery: true for the prefix 'homeassistant', or the prefix. */
  homeAssistant?: boolean | string;
  broker?: { url: string; username?: string; password?: string; protocolVersion?: 4 | 5; dashboardWebSocketUrl?: string };
  influx?: { url: string; database: string; username?: string; password?: string; intervalMs?: number };
  numbers?: 'masked' | 'clear';
  /** <name>: { role, password_scrypt | password_scrypt_env } (src/telemetry/broker/credentials.ts). */
  users?: Record<string, { role?: 'viewer' | 'operator' | 'agent'; seat?: string; password_scrypt?: string; password_scrypt_env?: string }>;
  /** Which operator may run which command; default every operator everything. */
  commands?: Record<string, string[]>;
}

/** A duration in seconds drawn from a distribution (the simulator's Distribution). */
export type SiteDistribution = { dist: string; [k: string]: number | string };

export interface SiteSimulation {
  seed?: number | string;
  callees?: {
    mix?: Record<string, number>;
    ringSec?: SiteDistribution;
    talkSec?: SiteDistribution;
    noAnswerSec?: number;
    /** The exchange plays the callees' audio on the bearers (see the site schema). */
    audio?: { musicShare?: number; machineShare?: number; earlyMediaSec?: number };
  };
  agents?: { wrapSec?: SiteDistribution; answerSec?: SiteDistribution; loggedIn?: number };
  /** Faults staged during the run, timed from the first call the simulated network sees. */
  faults?: SiteSimulationFault[];
  /** Customers calling in through the simulated PRI exchanges (default: the first inbound rule's number, else the first caller ID). */
  inbound?: { callsPerHour: number; called?: string; callbackShare?: number; talkSec?: SiteDistribution; patienceSec?: number };
}

/** One staged fault: a module's (modem-faults.ts) or a span's line condition (LOS, AIS, ...). */
export interface SiteSimulationFault {
  fault: string;
  modem?: string;
  span?: number;
  /** Seconds after the first call (default 0). */
  atSec?: number;
  /** Wait from then until the target carries a call, and fault that call. */
  duringCall?: boolean;
  /** How long it lasts (default: until the run ends). */
  forSec?: number;
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
  ss7?: SiteSs7;
}

export const DEFAULT_BEARER = E1_BEARER_RANGES;

export function resolveSpan(span: SiteSpan, boardId: string, impedances: readonly number[]): ResolvedSpan {
  const ss7 = span.signalling === 'ss7-isup' || span.signalling === 'ss7-tup';
  const pri = span.signalling === 'pri-cpe' || span.signalling === 'pri-net';
  const ccs = pri || ss7;
  const framing = span.framing ?? (ccs ? 'ccs' : 'cas');
  return {
    local: span.local,
    signalling: span.signalling,
    framing,
    coding: span.coding ?? 'hdb3',
    crc4: span.crc4 ?? ccs,
    timing: span.timing ?? 0,
    impedance: span.impedance ?? (impedances.includes(120) ? 120 : (impedances[0] ?? 120)),
    // A No.7 span's signalling link takes the D-channel's place (TS16 by default).
    dchannel: pri ? (span.dchannel ?? 16) : ss7 ? (span.ss7?.linkTimeslot ?? 16) : span.dchannel,
    bearer: span.bearer ?? DEFAULT_BEARER,
    casIdleBits: framing === 'cas' ? (span.casIdleBits ?? (span.signalling === 'r2-cn' ? '1111' : '1101')) : undefined,
    trunkGroup: span.trunkGroup ?? `${boardId}-span${span.local}`,
    r2: span.signalling === 'r2-cn' ? { variant: 'cn', ...span.r2 } : undefined,
    ss7: ss7 ? span.ss7 : undefined,
  };
}
