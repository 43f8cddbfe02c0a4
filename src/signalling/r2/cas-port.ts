import { Clock, TimerHandle } from '../../core/clock';
import { Abcd } from './variants';

/**
 * What the R2 engine needs from one E1 timeslot: its TS16 ABCD bits both ways and
 * its A-law audio. drivers/dahdi provides it on a board (GETRXBITS/SETTXBITS, read
 * and write); MemoryCasLink below joins two ports back to back.
 *
 * Audio is lockstep, as on DAHDI: the port delivers one received frame per frame
 * period, and the listener answers with at most one frame to send. A period with
 * nothing written sends silence.
 */
export interface CasPort {
  readonly channel: number;
  readonly txBits: Abcd;
  readonly rxBits: Abcd;
  setTxBits(bits: Abcd): void;
  onRxBits(listener: (bits: Abcd) => void): void;
  onAudio(listener: (frame: Uint8Array) => void): void;
  writeAudio(frame: Uint8Array): void;
}

/** A-law code for a zero sample. */
export const ALAW_SILENCE = 0xd5;

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
  bitListeners: ((bits: Abcd) => void)[] = [];
  audioListeners: ((frame: Uint8Array) => void)[] = [];
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

  setTxBits(bits: Abcd): void {
    const v = bits & 0xf;
    if (v === this.txBits) return;
    this.txBits = v;
    this.clock.setTimer(this.bitDelayMs, () => this.peer.receiveBits(v));
  }

  receiveBits(bits: Abcd): void {
    if (bits === this.rxBits) return;
    this.rxBits = bits;
    for (const l of this.bitListeners) l(bits);
  }

  onRxBits(listener: (bits: Abcd) => void): void {
    this.bitListeners.push(listener);
  }

  onAudio(listener: (frame: Uint8Array) => void): void {
    this.audioListeners.push(listener);
  }

  writeAudio(frame: Uint8Array): void {
    this.pending = frame.slice();
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
    for (const [pa, pb] of this.pairs) {
      const toA = pb.pending ?? this.silence;
      const toB = pa.pending ?? this.silence;
      pa.pending = undefined;
      pb.pending = undefined;
      for (const l of pa.audioListeners) l(toA);
      for (const l of pb.audioListeners) l(toB);
    }
  }
}
