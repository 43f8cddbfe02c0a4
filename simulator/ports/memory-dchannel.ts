import { Unsubscribe } from '../../src/core/emitter';
import { DChannelTransport, FrameDirection } from '../../drivers/ports/signalling-link';
import { FrameInbox } from '../../drivers/ports/frame-inbox';

/**
 * Two D-channel ends joined in memory, as two boards on one E1 cable. Delivery is
 * batched on setImmediate so a stack never receives while it is still sending.
 * `cut()` and `restore()` model loss of the link (both ends see an alarm; frames
 * in flight are lost).
 */
export class MemoryDChannelEnd implements DChannelTransport {
  private readonly inbox = new FrameInbox();
  peer!: MemoryDChannelEnd;
  /** @internal */
  link!: MemoryDChannelLink;

  send(frame: Uint8Array): void {
    if (this.inbox.isClosed) return;
    const copy = Uint8Array.from(frame);
    this.inbox.sent(copy);
    if (this.link.isCut || this.link.isSilent) return; // lost on the wire
    this.peer.inbox.deliver(copy);
  }

  receive(): Uint8Array | undefined {
    return this.inbox.receive();
  }

  get pending(): number {
    return this.inbox.pending;
  }

  onReadable(listener: () => void): Unsubscribe {
    return this.inbox.onReadable(listener);
  }

  onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe {
    return this.inbox.onAlarm(listener);
  }

  tap(listener: (dir: FrameDirection, frame: Uint8Array) => void): Unsubscribe {
    return this.inbox.tap(listener);
  }

  async close(): Promise<void> {
    this.inbox.close();
  }

  /** @internal */
  signalAlarm(inAlarm: boolean, reason: string): void {
    this.inbox.alarm(inAlarm, reason);
  }
}

export class MemoryDChannelLink {
  readonly a = new MemoryDChannelEnd();
  readonly b = new MemoryDChannelEnd();
  private cutState = false;
  private silentState = false;

  constructor() {
    this.a.peer = this.b;
    this.b.peer = this.a;
    this.a.link = this;
    this.b.link = this;
  }

  get isCut(): boolean {
    return this.cutState;
  }

  /** True while the D-channel carries nothing without a layer-1 alarm (DCHANNEL_DOWN). */
  get isSilent(): boolean {
    return this.silentState;
  }

  /** The D-channel stops carrying frames both ways; no alarm (only layer 2 can notice). */
  silence(on: boolean): void {
    this.silentState = on;
  }

  /** Loss of the link: frames are dropped and both ends go into alarm. */
  cut(reason = 'LOS'): void {
    if (this.cutState) return;
    this.cutState = true;
    this.a.signalAlarm(true, reason);
    this.b.signalAlarm(true, reason);
  }

  restore(): void {
    if (!this.cutState) return;
    this.cutState = false;
    this.a.signalAlarm(false, 'cleared');
    this.b.signalAlarm(false, 'cleared');
  }
}
