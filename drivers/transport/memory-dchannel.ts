import { DChannelTransport, FrameDirection } from './dchannel';

/**
 * Two D-channel ends joined in memory, as two boards on one E1 cable. Delivery is
 * batched on setImmediate so a stack never receives while it is still sending.
 * `cut()` and `restore()` model loss of the link (both ends see an alarm; frames
 * in flight are lost).
 */
export class MemoryDChannelEnd implements DChannelTransport {
  private readonly inbox: Uint8Array[] = [];
  private readableCbs: (() => void)[] = [];
  private alarmCbs: ((inAlarm: boolean, reason: string) => void)[] = [];
  private tapCbs: ((dir: FrameDirection, frame: Uint8Array) => void)[] = [];
  private notifyPending = false;
  private closed = false;
  peer!: MemoryDChannelEnd;
  /** @internal */
  link!: MemoryDChannelLink;

  send(frame: Uint8Array): void {
    if (this.closed) return;
    const copy = Uint8Array.from(frame);
    for (const cb of this.tapCbs) cb('tx', copy);
    if (this.link.isCut) return; // lost on the wire
    this.peer.deliver(copy);
  }

  receive(): Uint8Array | undefined {
    return this.inbox.shift();
  }

  get pending(): number {
    return this.inbox.length;
  }

  onReadable(cb: () => void): void {
    this.readableCbs.push(cb);
  }

  onAlarm(cb: (inAlarm: boolean, reason: string) => void): void {
    this.alarmCbs.push(cb);
  }

  tap(cb: (dir: FrameDirection, frame: Uint8Array) => void): void {
    this.tapCbs.push(cb);
  }

  close(): void {
    this.closed = true;
    this.inbox.length = 0;
    this.readableCbs = [];
    this.alarmCbs = [];
    this.tapCbs = [];
  }

  /** @internal */
  deliver(frame: Uint8Array): void {
    if (this.closed) return;
    for (const cb of this.tapCbs) cb('rx', frame);
    this.inbox.push(frame);
    if (this.notifyPending) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      if (this.closed) return;
      for (const cb of this.readableCbs) cb();
    });
  }

  /** @internal */
  signalAlarm(inAlarm: boolean, reason: string): void {
    if (inAlarm) this.inbox.length = 0;
    for (const cb of this.alarmCbs) cb(inAlarm, reason);
  }
}

export class MemoryDChannelLink {
  readonly a = new MemoryDChannelEnd();
  readonly b = new MemoryDChannelEnd();
  private cutState = false;

  constructor() {
    this.a.peer = this.b;
    this.b.peer = this.a;
    this.a.link = this;
    this.b.link = this;
  }

  get isCut(): boolean {
    return this.cutState;
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
