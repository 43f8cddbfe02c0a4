import { Clock, TimerHandle } from '../../src/core/clock';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { Abcd, ALAW_SILENCE, CasPort } from '../../drivers/ports/cas-port';

/** Line conditions an E1 CAS cable can show (names of the shared fault catalogue). */
export type CasLineFault = 'LOS' | 'AIS';

export interface MemoryCasLinkOptions {
  clock: Clock;
  /** Bearer channel numbers (E1 CAS: 1-15, 17-31). */
  channels: readonly number[];
  /** Bits both ends show before anyone sets them (the variant's idle pattern). */
  idleBits: Abcd;
  /** Samples per frame (160 = 20 ms). */
  frameSamples?: number;
  /** Delay of a bit change across the link: one CAS multiframe, 2 ms. */
  bitDelayMs?: number;
}

class MemoryCasPort implements CasPort {
  txBits: Abcd;
  rxBits: Abcd;
  peer!: MemoryCasPort;
  readonly bitChanges = new Emitter<[bits: Abcd]>();
  readonly audio = new Emitter<[frame: Uint8Array]>();
  private closed = false;
  /** The frame written this period, delivered to the peer at the next tick. */
  pending: Uint8Array | undefined;

  constructor(
    readonly channel: number,
    idle: Abcd,
    private readonly clock: Clock,
    private readonly bitDelayMs: number,
  ) {
    this.txBits = idle;
    this.rxBits = idle;
  }

  /** The line between the two ends is down (a fault of the catalogue): nothing crosses it. */
  lineDown = false;

  setTxBits(bits: Abcd): void {
    if (this.closed) return;
    const v = bits & 0xf;
    if (v === this.txBits) return;
    this.txBits = v;
    this.clock.setTimer(this.bitDelayMs, () => this.peer.receiveBits(v));
  }

  receiveBits(bits: Abcd): void {
    if (this.lineDown || bits === this.rxBits) return;
    this.rxBits = bits;
    this.bitChanges.emit(bits);
  }

  onRxBits(listener: (bits: Abcd) => void): Unsubscribe {
    return this.bitChanges.on(listener);
  }

  onAudio(listener: (frame: Uint8Array) => void): Unsubscribe {
    return this.audio.on(listener);
  }

  writeAudio(frame: Uint8Array): void {
    if (this.closed) return;
    this.pending = frame.slice();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending = undefined;
    this.bitChanges.clear();
    this.audio.clear();
  }
}

/**
 * Two sets of ports joined channel by channel: side `a` of channel n hears what
 * side `b` of channel n sends and sees its bits. Audio moves one frame per period
 * on the injected clock, so a test in virtual time sees real frame timing.
 */
export class MemoryCasLink {
  readonly a = new Map<number, CasPort>();
  readonly b = new Map<number, CasPort>();
  private readonly pairs: [MemoryCasPort, MemoryCasPort][] = [];
  private readonly frameSamples: number;
  private readonly silence: Uint8Array;
  private ticker: TimerHandle | undefined;
  private readonly frameMs: number;
  /** Conditions standing now: each is set and cleared on its own (AIS during LOS, say). */
  private readonly faults = new Set<CasLineFault>();

  constructor(private readonly opts: MemoryCasLinkOptions) {
    this.frameSamples = opts.frameSamples ?? 160;
    this.frameMs = this.frameSamples / 8;
    this.silence = new Uint8Array(this.frameSamples).fill(ALAW_SILENCE);
    const delay = opts.bitDelayMs ?? 2;
    for (const ch of opts.channels) {
      const pa = new MemoryCasPort(ch, opts.idleBits, opts.clock, delay);
      const pb = new MemoryCasPort(ch, opts.idleBits, opts.clock, delay);
      pa.peer = pb;
      pb.peer = pa;
      this.a.set(ch, pa);
      this.b.set(ch, pb);
      this.pairs.push([pa, pb]);
    }
    this.schedule();
  }

  /**
   * A line hit on one timeslot (CAS bit flapping): side `a` (the controller) sees
   * `bits` for `ms`, then what the far end really sends again. The far end's own
   * state is untouched, as with a noisy line.
   */
  hit(channel: number, bits: Abcd, ms: number): void {
    const pair = this.pairs.find(([pa]) => pa.channel === channel);
    if (!pair) return;
    const [pa, pb] = pair;
    pa.receiveBits(bits & 0xf);
    this.opts.clock.setTimer(ms, () => pa.receiveBits(pb.txBits));
  }

  /**
   * A line condition of the fault catalogue on the E1 carrying these timeslots
   * (LOS, AIS: side `a`, the controller's, is in alarm and the far end sees RAI):
   * no bits or audio cross while any stands. Conditions overlap on a real cable (AIS
   * from upstream, then the cable cut too), so each is cleared on its own: the line
   * comes back when the last one clears, and each side then sees what the other
   * sends, one bit delay later.
   */
  lineFault(kind: CasLineFault, on: boolean): void {
    if (on === this.faults.has(kind)) return;
    const wasDown = this.faults.size > 0;
    if (on) this.faults.add(kind);
    else this.faults.delete(kind);
    const down = this.faults.size > 0;
    if (down === wasDown) return;
    for (const [pa, pb] of this.pairs) {
      pa.lineDown = down;
      pb.lineDown = down;
    }
    this.alarms.a.emit(down, kind);
    this.alarms.b.emit(down, down ? 'RAI' : kind);
    if (down) return;
    this.opts.clock.setTimer(this.opts.bitDelayMs ?? 2, () => {
      if (this.faults.size) return;
      for (const [pa, pb] of this.pairs) {
        pa.receiveBits(pb.txBits);
        pb.receiveBits(pa.txBits);
      }
    });
  }

  /** The line conditions standing now. */
  lineFaults(): CasLineFault[] {
    return [...this.faults];
  }

  /** Alarm sources of the two ends, for R2SpanSignalling's lineAlarms. */
  readonly alarms = {
    a: new Emitter<[inAlarm: boolean, reason: string]>(),
    b: new Emitter<[inAlarm: boolean, reason: string]>(),
  };

  /** Side `a`'s or `b`'s alarms as R2SpanSignalling takes them. */
  alarmSource(side: 'a' | 'b'): { onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe } {
    const e = this.alarms[side];
    return { onAlarm: (l) => e.on(l) };
  }

  /** Stops moving audio (bits still pass). */
  close(): void {
    this.ticker?.cancel();
    this.ticker = undefined;
  }

  private schedule(): void {
    this.ticker = this.opts.clock.setTimer(this.frameMs, () => {
      this.tick();
      if (this.ticker) this.schedule();
    });
  }

  private tick(): void {
    if (this.faults.size) {
      for (const [pa, pb] of this.pairs) pa.pending = pb.pending = undefined;
      return;
    }
    for (const [pa, pb] of this.pairs) {
      const toA = pb.pending ?? this.silence;
      const toB = pa.pending ?? this.silence;
      pa.pending = undefined;
      pb.pending = undefined;
      pa.audio.emit(toA);
      pb.audio.emit(toB);
    }
  }
}
