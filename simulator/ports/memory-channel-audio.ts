import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { AUDIO_BLOCK_BYTES, ChannelAudioPort, ChannelAudioSource, CompandingLaw } from '../../drivers/ports/channel-audio-port';
import { endpointKey, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';

/**
 * A channel in memory, for unit tests and benchmarks in virtual time: the test
 * (the far end) sends blocks toward it with `deliver` and reads what was written
 * onto the line with `takeSent`. Each `tick()` is one 20 ms block: the far end's
 * next block (silence when none is queued) is delivered, and one block the
 * channel queued goes out, as DAHDI's clock moves them.
 */
export class MemoryChannelAudio implements ChannelAudioPort {
  private readonly blocks = new Emitter<[block: Uint8Array]>();
  private readonly incoming: Uint8Array[] = [];
  private readonly queued: Uint8Array[] = [];
  /** Everything sent onto the line, in order. */
  readonly sent: Uint8Array[] = [];
  open = true;
  /** Blocks the channel may queue before writes are refused (DAHDI's numbufs). */
  bufferBlocks = 4;

  constructor(
    readonly name: string,
    readonly law: CompandingLaw = 'alaw',
  ) {}

  /** Listeners now: a player or recorder has started on the channel. */
  listening = 0;

  onBlock(listener: (block: Uint8Array) => void): Unsubscribe {
    const off = this.blocks.on(listener);
    this.listening++;
    let on = true;
    return () => {
      if (on) this.listening--;
      on = false;
      off();
    };
  }

  writeBlock(block: Uint8Array): number {
    if (!this.open || this.queued.length >= this.bufferBlocks) return 0;
    this.queued.push(block.slice());
    return block.length;
  }

  async close(): Promise<void> {
    this.open = false;
  }

  /** Queues what the far end says (any length; cut into blocks). */
  deliver(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += AUDIO_BLOCK_BYTES) {
      const b = new Uint8Array(AUDIO_BLOCK_BYTES).fill(this.law === 'alaw' ? 0xd5 : 0xff);
      b.set(bytes.subarray(i, i + AUDIO_BLOCK_BYTES));
      this.incoming.push(b);
    }
  }

  /** One 20 ms step of the line clock. */
  tick(): void {
    const out = this.queued.shift();
    this.sent.push(out ?? new Uint8Array(AUDIO_BLOCK_BYTES).fill(this.law === 'alaw' ? 0xd5 : 0xff));
    const next = this.incoming.shift() ?? new Uint8Array(AUDIO_BLOCK_BYTES).fill(this.law === 'alaw' ? 0xd5 : 0xff);
    if (this.open) this.blocks.emit(next);
  }

  /** Everything sent so far as one buffer. */
  sentBytes(): Uint8Array {
    const all = new Uint8Array(this.sent.length * AUDIO_BLOCK_BYTES);
    this.sent.forEach((b, i) => all.set(b, i * AUDIO_BLOCK_BYTES));
    return all;
  }
}

/** Memory channels by trunk leg and seat, created on first use. */
export class MemoryChannelAudioSource implements ChannelAudioSource {
  readonly channels = new Map<string, MemoryChannelAudio>();

  constructor(private readonly law: CompandingLaw = 'alaw') {}

  trunk(leg: TrunkLeg): MemoryChannelAudio {
    return this.get(`trunk:${leg.span}/${leg.channel}`);
  }

  seat(endpoint: SeatEndpoint): MemoryChannelAudio {
    return this.get(`seat:${endpointKey(endpoint)}`);
  }

  /** Ticks every channel once (20 ms). */
  tick(): void {
    for (const c of this.channels.values()) c.tick();
  }

  private get(key: string): MemoryChannelAudio {
    let c = this.channels.get(key);
    if (!c || !c.open) {
      c = new MemoryChannelAudio(key, this.law);
      this.channels.set(key, c);
    }
    return c;
  }
}
