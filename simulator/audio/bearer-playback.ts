import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { ChannelAudioPort } from '../../drivers/ports/channel-audio-port';
import { AudioSource } from './signals';
import { FarEndFeed } from './callee-audio';
import { CalleeBehaviour } from '../callee-population';

/** A call whose callee audio a simulated network plays (PRI B-channel, R2 timeslot). */
export interface CallPlayback {
  number: string;
  channel: number;
  behaviour: CalleeBehaviour;
  playback: BearerPlayback;
}

/**
 * A simulated exchange's end of one call's voice path: every frame the controller
 * sends is answered by one frame of what the far end plays now (lockstep, as a
 * DAHDI channel reads and writes). What the controller sends is offered to
 * listeners, so a test can check what the callee heard (a prompt, a message).
 */
export class BearerPlayback {
  private readonly heard = new Emitter<[frame: Uint8Array]>();
  private closed = false;

  constructor(
    private readonly port: ChannelAudioPort,
    private readonly feed: FarEndFeed,
  ) {
    port.onBlock((frame) => {
      if (this.closed) return;
      this.port.writeBlock(this.feed.nextFrame());
      this.heard.emit(frame);
    });
  }

  /** Plays `source` from the next frame (undefined: line noise only). */
  play(source: AudioSource | undefined): void {
    this.feed.play(source);
  }

  /** Frames the controller sent toward the callee (A-law, 20 ms each). */
  onHeard(listener: (frame: Uint8Array) => void): Unsubscribe {
    return this.heard.on(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heard.clear();
    await this.port.close();
  }
}
