/**
 * Span alarms and framing for telemetry from DAHDI itself (/proc/dahdi and sysfs
 * through discovery), re-read at most once per `maxAgeMs` so publishing once a second
 * costs a few file reads. Telemetry span ids are DAHDI span numbers unless a map says
 * otherwise.
 */
import { Clock } from '../core/clock';
import { discoverDahdi, DahdiSpan } from '../discovery';
import { SpanLineStatus } from './controller-source';

export interface DahdiLineStatusOptions {
  clock: Clock;
  /** Root of /proc and /sys (a snapshot directory in tests). */
  sysRoot?: string;
  /** trunkpilot span id to DAHDI span number, when they differ. */
  spanMap?: Record<number, number>;
  maxAgeMs?: number;
}

export class DahdiLineStatus implements SpanLineStatus {
  private spans = new Map<number, DahdiSpan>();
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: DahdiLineStatusOptions) {}

  alarms(span: number): string[] {
    return [...(this.lookup(span)?.alarms ?? ['NOT-FOUND'])];
  }

  framing(span: number): string | undefined {
    const s = this.lookup(span);
    if (!s?.framing) return undefined;
    return [s.framing, s.coding, s.crc4 ? 'CRC4' : undefined].filter(Boolean).join('/');
  }

  private lookup(span: number): DahdiSpan | undefined {
    const now = this.opts.clock.now();
    if (now - this.readAt >= (this.opts.maxAgeMs ?? 1000)) {
      this.spans = new Map(discoverDahdi({ sysRoot: this.opts.sysRoot }).spans.map((s) => [s.spanno, s]));
      this.readAt = now;
    }
    return this.spans.get(this.opts.spanMap?.[span] ?? span);
  }
}
