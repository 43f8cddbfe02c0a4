import { Clock, TimerHandle } from '../../src/core/clock';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { ALAW_SILENCE, CasPort } from '../../drivers/ports/cas-port';
import { AUDIO_BLOCK_BYTES, TrunkAudio, ChannelAudioPort } from '../../drivers/ports/channel-audio-port';

/** One end of one timeslot: what is written this period reaches the other end at the next tick. */
class TimeslotEnd {
  readonly frames = new Emitter<[frame: Uint8Array]>();
  pending: Uint8Array | undefined;
}

class EndPort implements ChannelAudioPort {
  readonly law = 'alaw';
  private readonly offs: Unsubscribe[] = [];
  private closed = false;

  constructor(
    readonly name: string,
    private readonly end: TimeslotEnd,
    private readonly onClose: () => void,
  ) {}

  onBlock(listener: (frame: Uint8Array) => void): Unsubscribe {
    const off = this.end.frames.on(listener);
    this.offs.push(off);
    return off;
  }

  /** The last block written this period is the one sent (lockstep, as DAHDI moves one block a period). */
  writeBlock(block: Uint8Array): number {
    if (this.closed) return 0;
    this.end.pending = block.slice();
    return block.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    this.onClose();
  }
}

/**
 * The bearer timeslots of simulated E1 spans as an in-memory cable: side `a` is
 * the controller's TrunkAudio, side `b` the network's. Audio moves one 20 ms frame
 * per tick of the injected clock, and only while some port is open, so idle spans
 * cost nothing.
 */
export class MemoryTrunkAudioLink {
  private readonly slots = new Map<string, [TimeslotEnd, TimeslotEnd]>();
  private openPorts = 0;
  private ticker: TimerHandle | undefined;
  /** Clock time the next frame is due: a late timer moves every frame due since, as DAHDI's buffered blocks do. */
  private nextFrameAt = 0;
  private closed = false;
  private readonly silence = new Uint8Array(AUDIO_BLOCK_BYTES).fill(ALAW_SILENCE);
  readonly a: TrunkAudio = { open: (span, channel) => this.open(span, channel, 0) };
  readonly b: TrunkAudio = { open: (span, channel) => this.open(span, channel, 1) };

  constructor(private readonly clock: Clock) {}

  close(): void {
    this.closed = true;
    this.ticker?.cancel();
    this.ticker = undefined;
  }

  private open(span: number, channel: number, side: 0 | 1): ChannelAudioPort | undefined {
    if (this.closed) return undefined;
    const key = `${span}/${channel}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = [new TimeslotEnd(), new TimeslotEnd()];
      this.slots.set(key, slot);
    }
    this.openPorts++;
    this.schedule();
    return new EndPort(`span ${span} ch ${channel} (${side === 0 ? 'controller' : 'network'})`, slot[side], () => this.openPorts--);
  }

  private schedule(): void {
    if (this.ticker || this.closed) return;
    const frameMs = AUDIO_BLOCK_BYTES / 8;
    if (this.nextFrameAt < this.clock.now()) this.nextFrameAt = this.clock.now() + frameMs;
    this.ticker = this.clock.setTimer(this.nextFrameAt - this.clock.now(), () => {
      this.ticker = undefined;
      // At most 10 frames (200 ms) at once: a longer stall loses audio, as a DAHDI overrun does.
      for (let n = 0; n < 10 && this.clock.now() >= this.nextFrameAt; n++) {
        this.tick();
        this.nextFrameAt += frameMs;
      }
      if (this.nextFrameAt <= this.clock.now()) this.nextFrameAt = this.clock.now() + frameMs;
      if (this.openPorts > 0) this.schedule();
    });
  }

  private tick(): void {
    for (const [a, b] of this.slots.values()) {
      if (a.frames.size === 0 && b.frames.size === 0 && !a.pending && !b.pending) continue;
      const toA = b.pending ?? this.silence;
      const toB = a.pending ?? this.silence;
      a.pending = undefined;
      b.pending = undefined;
      a.frames.emit(toA);
      b.frames.emit(toB);
    }
  }
}

/**
 * A China No.1 span's voice paths are its CAS ports' audio: the TrunkAudio of a set
 * of ports (one span), for the analyser and prompts on simulated R2 spans.
 */
export function casPortTrunkAudio(span: number, ports: readonly CasPort[]): TrunkAudio {
  const byChannel = new Map(ports.map((p) => [p.channel, p]));
  return {
    open(s, channel) {
      const port = s === span ? byChannel.get(channel) : undefined;
      if (!port) return undefined;
      const offs: Unsubscribe[] = [];
      let closed = false;
      return {
        name: `span ${span} ts ${channel}`,
        law: 'alaw',
        onBlock: (listener) => {
          const off = port.onAudio(listener);
          offs.push(off);
          return off;
        },
        writeBlock: (block) => {
          if (closed) return 0;
          port.writeAudio(block);
          return block.length;
        },
        close: async () => {
          closed = true;
          for (const off of offs.splice(0)) off();
        },
      };
    },
  };
}

/** Several spans' TrunkAudio as one (a rig of N spans). */
export function joinTrunkAudio(parts: readonly TrunkAudio[]): TrunkAudio {
  return {
    open(span, channel) {
      for (const p of parts) {
        const port = p.open(span, channel);
        if (port) return port;
      }
      return undefined;
    },
  };
}
