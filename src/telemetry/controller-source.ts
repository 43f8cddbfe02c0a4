import { CallEvent } from '../core/call-events';
import { Span } from '../controller/span';
import { NO_OPERATIONS, OperationsSource, SpanSnapshot, TelemetrySource } from './source';

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

  seats() {
    return this.operations.seats();
  }

  campaigns() {
    return this.operations.campaigns();
  }

  pacing() {
    return this.operations.pacing();
  }

  onCallEvent(listener: (ev: CallEvent) => void): () => void {
    const offs = this.spanList.map((s) => s.observeCalls(listener));
    return () => offs.forEach((off) => off());
  }
}
