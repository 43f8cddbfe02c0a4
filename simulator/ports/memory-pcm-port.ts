import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { PcmVoicePort } from '../../drivers/ports/pcm-voice-port';

/** A simulated seat's audio: what it hears is kept, what it says is sent with say(). */
export class MemoryPcmPort implements PcmVoicePort {
  readonly heard: Int16Array[] = [];
  private readonly frames = new Emitter<[Int16Array]>();
  private closed = false;

  constructor(readonly name: string) {}

  onFrame(listener: (frame: Int16Array) => void): Unsubscribe {
    return this.frames.on(listener);
  }

  async writeFrame(frame: Int16Array): Promise<void> {
    if (!this.closed) this.heard.push(frame);
  }

  /** The seat speaks one frame. */
  say(frame: Int16Array): void {
    if (!this.closed) this.frames.emit(frame);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.frames.clear();
  }
}
