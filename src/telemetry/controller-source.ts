import { CallEvent } from '../core/call-events';
import { Span } from '../controller/span';
import { ModemSpanSignalling } from '../signalling/gsm/modem-span-signalling';
import { ModemSnapshot, NO_OPERATIONS, UnassignedModemSnapshot, OperationsSource, SpanSnapshot, TelemetrySource } from './source';

/** Alarms and framing a span's line driver can report; absent until a line driver provides them. */
export interface SpanLineStatus {
  alarms(span: number): string[];
  framing(span: number): string | undefined;
}

/**
 * The live TelemetrySource: spans and calls from the controller, seats, campaigns
 * and pacing from whichever OperationsSource is plugged in (none by default).
 */
export class ControllerTelemetrySource implements TelemetrySource {
  constructor(
    private readonly spanList: readonly Span[],
    private operations: OperationsSource = NO_OPERATIONS,
    private readonly line?: SpanLineStatus,
  ) {}

  /** Modules plugged in that the site does not list (the site's trunks know them). */
  unassignedModems?: () => UnassignedModemSnapshot[];

  /** Plugs in seats/campaigns/pacing once they exist. */
  setOperations(ops: OperationsSource): void {
    this.operations = ops;
  }

  spans(): SpanSnapshot[] {
    return this.spanList.map((s) => ({
      span: s.id,
      kind: s.signalling.kind,
      linkUp: s.linkUp,
      alarms: this.line?.alarms(s.id) ?? (s.linkUp ? [] : ['LINK-DOWN']),
      framing: this.line?.framing(s.id),
      counts: s.counts(),
      ...(s.signalling.linkStatus ? { signallingLinks: s.signalling.linkStatus() } : {}),
      channels: s.channels.map((c) => ({ channel: c.number, state: c.state })).sort((a, b) => a.channel - b.channel),
    }));
  }

  /** Per module of every modem trunk span: signal, registration, operator, SIM, calls today against the cap. */
  modems(): ModemSnapshot[] {
    const out: ModemSnapshot[] = [];
    for (const s of this.spanList) {
      if (!(s.signalling instanceof ModemSpanSignalling)) continue;
      const sig = s.signalling;
      for (const channel of sig.bearerChannels) {
        const st = sig.modem(channel).status;
        const today = sig.callsToday(channel);
        out.push({
          span: s.id,
          channel,
          path: st.path,
          model: st.model,
          state: st.state,
          reason: st.reason,
          rssi: st.rssi,
          registration: st.registration,
          operator: st.operator,
          sim: st.sim,
          imei: st.imei,
          iccid: st.iccid,
          callsToday: today.calls,
          dailyCap: today.cap,
        });
      }
    }
    return out;
  }

  seats() {
    return this.operations.seats();
  }

  campaigns() {
    return this.operations.campaigns();
  }

  queues() {
    return this.operations.queues?.() ?? [];
  }

  pacing() {
    return this.operations.pacing();
  }

  onCallEvent(listener: (ev: CallEvent) => void): () => void {
    const offs = this.spanList.map((s) => s.observeCalls(listener));
    return () => offs.forEach((off) => off());
  }
}
