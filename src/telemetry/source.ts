/**
 * What telemetry reads. The publisher and the Influx recorder depend only on these
 * small interfaces, so the controller, seats, campaigns and pacing can each plug in
 * a provider without telemetry knowing their classes.
 */
import { CallEvent } from '../core/call-events';
import type { SignallingLinkStatus } from '../signalling/span-signalling';
import type { AcdFiguresSnapshot } from './acd-figures';

export type ChannelStateName = 'out-of-service' | 'idle' | 'dialing' | 'proceeding' | 'alerting' | 'offered' | 'connected' | 'releasing';

export interface SpanSnapshot {
  span: number;
  /** Signalling kind, e.g. 'pri-cpe', 'r2-cn'. */
  kind: string;
  linkUp: boolean;
  /** Active alarms by name (LOS, AIS, RAI, ...); empty when clean. */
  alarms: string[];
  /** Line framing when known (e.g. 'CCS/HDB3/CRC4'). */
  framing?: string;
  /** Channel count per state. */
  counts: Record<ChannelStateName, number>;
  /** Signalling links where the span has them (No.7: MTP2/MTP3 state per link, route, blocked circuits). */
  signallingLinks?: SignallingLinkStatus;
  /** Each bearer channel's state, by channel number. */
  channels: { channel: number; state: ChannelStateName }[];
}

export interface SeatSnapshot {
  seat: string;
  /** Seat state as the seat module names it (ready, busy, talking, wrap-up, ...). */
  state: string;
  campaign?: string;
  agent?: string;
  /** The call the seat is on, if any. */
  callId?: string;
  /** Why a paused seat is not ready (the agent's reason, 'handset off hook', 'no answer', ...). */
  reason?: string;
  /** Clock time the seat entered its state. */
  since: number;
  /** Answer groups the seat belongs to (the wallboard filters on them). */
  answerGroups?: string[];
}

export interface CampaignSnapshot {
  campaign: string;
  state: string;
  /** Numbers in the list. */
  total: number;
  dialled: number;
  /** Every answered call, machines and early hang-ups included. */
  answered: number;
  /** Answered by a person and then connected to a seat or abandoned: what the abandonment rate is counted over. */
  answeredByPerson: number;
  abandoned: number;
  remaining: number;
  /** Set while the gateway holds the campaign by itself (e.g. STORAGE_FAILED: its store refuses writes). */
  alarm?: string;
  /** The answer group whose seats take its calls, when it has one. */
  answerGroup?: string;
}

export interface PacingSnapshot {
  campaign: string;
  /** Calls placed per free seat (predictive dial level). */
  dialLevel: number;
  /** Fraction of seat time on calls, 0-1. */
  occupancy: number;
  /** Answered calls dropped for want of a seat, as a fraction of answered calls, 0-1, over the campaign's life, on this gateway. */
  abandonment: number;
  /** The same over every gateway working the campaign (a centre on a shared store), as the store counts it. */
  centreAbandonment?: number;
  /** Calls being dialled right now. */
  callsInProgress?: number;
  /** The legal limit the pacer holds abandonment under, 0-1. */
  abandonTarget?: number;
  /** Answered calls waiting for a seat right now, and since when the oldest has waited (ms, 0 when none). */
  waiting?: number;
  longestWaitMs?: number;
  /** Today's and the rolling hour's figures (acd-figures.ts). */
  acd?: AcdFiguresSnapshot;
}

/** An answer group's queue of incoming calls (src/inbound/inbound-queue.ts QueueFigures). */
export interface QueueSnapshot {
  answerGroup: string;
  waiting: number;
  longestWaitMs: number;
  offered: number;
  refusedFull: number;
  connected: number;
  connectedWithinTarget: number;
  abandonedInQueue: number;
  timedOut: number;
  /** 0-1: connected within the target over every call that left the queue. */
  serviceLevel: number;
}

/** One GSM/LTE module of a modem trunk span (one channel each). */
export interface ModemSnapshot {
  span: number;
  channel: number;
  /** AT port path. */
  path: string;
  model: string;
  /** ready, not-ready, recovering, out-of-service, ... */
  state: string;
  reason: string;
  /** 27.007 RSSI 0-31 (99 unknown). */
  rssi?: number;
  registration?: string;
  operator?: string;
  sim?: string;
  imei?: string;
  iccid?: string;
  callsToday: number;
  dailyCap?: number;
}

/** A GSM/LTE module plugged in that the site file does not list, and so not used. */
export interface UnassignedModemSnapshot {
  vendorId: string;
  productId: string;
  serialNumber?: string;
  model: string;
  atPort?: string;
  pluggedAt: number;
}

export interface TelemetrySource {
  spans(): SpanSnapshot[];
  /** GSM/LTE modules behind modem trunk spans (none when the site has no modems). */
  modems?(): ModemSnapshot[];
  /** Modules plugged in and not in the site file (absent when USB hot-plug is not followed). */
  unassignedModems?(): UnassignedModemSnapshot[] | undefined;
  seats(): SeatSnapshot[];
  campaigns(): CampaignSnapshot[];
  pacing(): PacingSnapshot[];
  /** Inbound queues (none when the site takes no incoming calls). */
  queues?(): QueueSnapshot[];
  /** Subscribes to every call event; returns the unsubscribe function. */
  onCallEvent(listener: (ev: CallEvent) => void): () => void;
}

/** Seats, campaigns and pacing as one optional provider (the seat/campaign modules implement it). */
export interface OperationsSource {
  seats(): SeatSnapshot[];
  campaigns(): CampaignSnapshot[];
  pacing(): PacingSnapshot[];
  queues?(): QueueSnapshot[];
}

export const NO_OPERATIONS: OperationsSource = { seats: () => [], campaigns: () => [], pacing: () => [] };
