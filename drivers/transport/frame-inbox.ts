import { FrameDirection } from './dchannel';

/**
 * The receiving half every DChannelTransport shares: a queue of frames, one
 * readable notification per batch (on setImmediate, so a stack never receives
 * while it is still sending), taps for captures, and alarm listeners.
 */
export class FrameInbox {
  private readonly frames: Uint8Array[] = [];
  private readableCbs: (() => void)[] = [];
  private alarmCbs: ((inAlarm: boolean, reason: string) => void)[] = [];
  private tapCbs: ((dir: FrameDirection, frame: Uint8Array) => void)[] = [];
  private notifyPending = false;
  private closed = false;

  get pending(): number {
    return this.frames.length;
  }

  get isClosed(): boolean {
    return this.closed;
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

  /** Shows a frame being sent to the taps. */
  sent(frame: Uint8Array): void {
    for (const cb of this.tapCbs) cb('tx', frame);
  }

  /** Queues a received frame and schedules the readable notification. */
  deliver(frame: Uint8Array): void {
    if (this.closed) return;
    for (const cb of this.tapCbs) cb('rx', frame);
    this.frames.push(frame);
    if (this.notifyPending) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      if (this.closed) return;
      for (const cb of this.readableCbs) cb();
    });
  }

  receive(): Uint8Array | undefined {
    return this.frames.shift();
  }

  /** Tells the alarm listeners; frames waiting when the line fails are lost with it. */
  alarm(inAlarm: boolean, reason: string): void {
    if (this.closed) return;
    if (inAlarm) this.frames.length = 0;
    for (const cb of this.alarmCbs) cb(inAlarm, reason);
  }

  close(): void {
    this.closed = true;
    this.frames.length = 0;
    this.readableCbs = [];
    this.alarmCbs = [];
    this.tapCbs = [];
  }
}
