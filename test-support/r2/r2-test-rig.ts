import { VirtualClock } from '../../src/core/clock';
import { CasPort } from '../../drivers/ports/cas-port';
import { MemoryCasLink } from '../../simulator/ports/memory-cas-link';
import { MfGenerator } from '../../src/signalling/r2/mf-generator';
import { DeadlineFeeder } from '../../src/core/deadline-feeder';
import { R2Channel, R2ChannelEvent, R2ChannelOptions } from '../../src/signalling/r2/r2-channel';
import { formatTrace, R2TraceEntry } from '../../src/signalling/r2/trace';
import { CHINA, R2Variant } from '../../src/signalling/r2/variants';

/** Two R2 engines back to back over an in-memory E1 timeslot, in virtual time (for tests). */
export class BackToBack {
  readonly clock = new VirtualClock(0);
  readonly link: MemoryCasLink;
  readonly a: R2Channel;
  readonly b: R2Channel;
  readonly eventsA: R2ChannelEvent[] = [];
  readonly eventsB: R2ChannelEvent[] = [];
  readonly trace: R2TraceEntry[] = [];
  private readonly feeder = new DeadlineFeeder(this.clock);

  /**
   * With `handPlayedB`, side b has no engine: the test sets its bits and tones
   * through `far` (a malformed or dead far end).
   */
  readonly far: { port: CasPort; tone: MfGenerator };

  constructor(
    opts: {
      variant?: R2Variant;
      variantB?: R2Variant;
      a?: Partial<R2ChannelOptions>;
      b?: Partial<R2ChannelOptions>;
      handPlayedB?: boolean;
    } = {},
  ) {
    const variant = opts.variant ?? CHINA;
    this.link = new MemoryCasLink({ clock: this.clock, channels: [1], idleBits: variant.line.forward.idle });
    const make = (port: R2ChannelOptions['port'], v: R2Variant, extra: Partial<R2ChannelOptions> | undefined, events: R2ChannelEvent[]) => {
      const ch = new R2Channel({
        variant: v,
        port,
        now: () => this.clock.now(),
        onDeadlineChanged: (c) => this.feeder.changed(c),
        ...extra,
      });
      ch.on((ev) => events.push(ev));
      ch.onTrace((e) => this.trace.push(e));
      this.feeder.add(ch);
      return ch;
    };
    this.a = make(this.link.a.get(1)!, variant, opts.a, this.eventsA);
    const farPort = this.link.b.get(1)!;
    this.far = { port: farPort, tone: new MfGenerator('backward') };
    if (opts.handPlayedB) {
      const frame = new Uint8Array(160);
      farPort.onAudio(() => {
        if (this.far.tone.current === 0) return;
        this.far.tone.fillAlaw(frame);
        farPort.writeAudio(frame);
      });
      this.b = undefined as unknown as R2Channel;
    } else {
      this.b = make(farPort, opts.variantB ?? variant, opts.b, this.eventsB);
    }
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }

  /** Advances until `pred` holds (checked every 10 ms) or `limitMs` passes. */
  runUntil(pred: () => boolean, limitMs = 60_000): number {
    const end = this.clock.now() + limitMs;
    while (!pred() && this.clock.now() < end) this.clock.advance(10);
    return this.clock.now();
  }

  types(events: R2ChannelEvent[]): string[] {
    return events.filter((e) => e.type !== 'fault').map((e) => e.type);
  }

  traceText(): string {
    return this.trace.map(formatTrace).join('\n');
  }

  close(): void {
    this.feeder.close();
    this.link.close();
  }
}
