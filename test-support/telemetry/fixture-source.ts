import { E1_BEARERS } from '../../src/core/timeslots';
import { CallEvent } from '../../src/core/call-events';
import {
  CampaignSnapshot,
  ModemSnapshot,
  PacingSnapshot,
  QueueSnapshot,
  SeatSnapshot,
  SpanSnapshot,
  TelemetrySource,
  UnassignedModemSnapshot,
} from '../../src/telemetry/source';

/** A TelemetrySource whose contents a test sets directly (seats and campaigns before their modules exist). */
export class FixtureSource implements TelemetrySource {
  spanList: SpanSnapshot[] = [];
  seatList: SeatSnapshot[] = [];
  campaignList: CampaignSnapshot[] = [];
  pacingList: PacingSnapshot[] = [];
  modemList: ModemSnapshot[] = [];
  queueList: QueueSnapshot[] = [];
  /** Set to publish modems/unassigned. */
  unassignedList?: UnassignedModemSnapshot[];
  private listeners = new Set<(ev: CallEvent) => void>();

  spans() {
    return this.spanList;
  }
  queues() {
    return this.queueList;
  }
  modems() {
    return this.modemList;
  }
  unassignedModems() {
    return this.unassignedList;
  }
  seats() {
    return this.seatList;
  }
  campaigns() {
    return this.campaignList;
  }
  pacing() {
    return this.pacingList;
  }

  onCallEvent(listener: (ev: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(ev: CallEvent): void {
    for (const l of this.listeners) l(ev);
  }
}

export function e1Span(span: number, busy = 0): SpanSnapshot {
  const channels = E1_BEARERS.map((channel, i) => ({
    channel,
    state: (i < busy ? 'connected' : 'idle') as SpanSnapshot['channels'][number]['state'],
  }));
  return {
    span,
    kind: 'pri-cpe',
    linkUp: true,
    alarms: [],
    counts: { 'out-of-service': 0, idle: 30 - busy, dialing: 0, proceeding: 0, alerting: 0, offered: 0, connected: busy, releasing: 0 },
    channels,
  };
}
