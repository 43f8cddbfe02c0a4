import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { FrameDirection } from './signalling-link';

/**
 * The receiving half every SignallingLinkPort shares: a queue of frames, one
 * readable notification per batch (on setImmediate, so a stack never receives
 * while it is still sending), taps for captures, and alarm listeners. The queue is
 * bounded: a flood beyond MAX_PENDING_FRAMES is dropped and counted, as hardware
 * overruns do, and LAPD recovers what mattered.
 */
/** Frames waiting for the stack; beyond this a line is sending faster than it is read. */
export const MAX_PENDING_FRAMES = 1024;

export class FrameInbox {
  private readonly frames: Uint8Array[] = [];
  /** Frames dropped because the queue was full (counted, like a DAHDI overrun). */
  dropped = 0;
  private readonly readable = new Emitter<[]>();
  private readonly alarms = new Emitter<[inAlarm: boolean, reason: string]>();
  private readonly taps = new Emitter<[dir: FrameDirection, frame: Uint8Array]>();
  private notifyPending = false;
  private closed = false;

  get pending(): number {
    return this.frames.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onReadable(listener: () => void): Unsubscribe {
    return this.readable.on(listener);
  }

  onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe {
    return this.alarms.on(listener);
  }

  tap(listener: (dir: FrameDirection, frame: Uint8Array) => void): Unsubscribe {
    return this.taps.on(listener);
  }

  /** Shows a frame being sent to the taps. */
  sent(frame: Uint8Array): void {
    this.taps.emit('tx', frame);
  }

  /** Queues a received frame and schedules the readable notification. */
  deliver(frame: Uint8Array): void {
    if (this.closed) return;
    this.taps.emit('rx', frame);
    if (this.frames.length >= MAX_PENDING_FRAMES) {
      this.dropped++;
      return;
    }
    this.frames.push(frame);
    if (this.notifyPending) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      if (this.closed) return;
      this.readable.emit();
    });
  }

  receive(): Uint8Array | undefined {
    return this.frames.shift();
  }

  /** Tells the alarm listeners; frames waiting when the line fails are lost with it. */
  alarm(inAlarm: boolean, reason: string): void {
    if (this.closed) return;
    if (inAlarm) this.frames.length = 0;
    this.alarms.emit(inAlarm, reason);
  }

  close(): void {
    this.closed = true;
    this.frames.length = 0;
    this.readable.clear();
    this.alarms.clear();
    this.taps.clear();
  }
}
