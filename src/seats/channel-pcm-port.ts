import { Emitter, Unsubscribe } from '../core/emitter';
import { ClosedError } from '../core/errors';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../dsp/g711';
import { ChannelAudioPort } from '../../drivers/ports/channel-audio-port';
import { PCM_FRAME_SAMPLES, PcmVoicePort } from '../../drivers/ports/pcm-voice-port';

/** Frames written ahead of the channel's own clock before more are dropped (60 ms of latency at most). */
export const CHANNEL_PCM_MAX_BACKLOG = 3;

/**
 * A board channel (an agent's FXS port) as a PCM voice stream, so the software bridge can
 * put a seat on a trunk whose audio is not a DAHDI channel (a GSM module's PCM port).
 *
 * Two clocks meet here: the module's and the board's. What the seat says is handed on
 * frame by frame as the board reads it (the bridge keeps only the latest). What is written
 * toward the seat is paced by the board: each block the channel reads is one block of its
 * write buffer played out, so at most CHANNEL_PCM_MAX_BACKLOG frames are ever queued
 * ahead of it. A module running fast loses a frame now and then instead of building up
 * delay; one running slow leaves the board a gap it fills with silence.
 */
export class ChannelPcmPort implements PcmVoicePort {
  private readonly frames = new Emitter<[Int16Array]>();
  private readonly offBlock: Unsubscribe;
  private readonly partial = new Int16Array(PCM_FRAME_SAMPLES);
  private filled = 0;
  private backlog = 0;
  private closed = false;
  /** Frames not written because the seat's side was already CHANNEL_PCM_MAX_BACKLOG ahead (or its buffers were full). */
  dropped = 0;
  /** Frames queued toward the seat. */
  written = 0;

  constructor(private readonly channel: ChannelAudioPort) {
    this.offBlock = channel.onBlock((block) => this.onBlock(block));
  }

  get name(): string {
    return this.channel.name;
  }

  /** Frames queued toward the seat and not yet played out (never above CHANNEL_PCM_MAX_BACKLOG). */
  get queued(): number {
    return this.backlog;
  }

  onFrame(listener: (frame: Int16Array) => void): Unsubscribe {
    return this.frames.on(listener);
  }

  async writeFrame(frame: Int16Array): Promise<void> {
    if (this.closed) throw new ClosedError(this.name);
    if (this.backlog >= CHANNEL_PCM_MAX_BACKLOG) {
      this.dropped++;
      return;
    }
    const block = this.channel.law === 'mulaw' ? encodeMulaw(frame) : encodeAlaw(frame);
    if (this.channel.writeBlock(block) < block.length) {
      this.dropped++;
      return;
    }
    this.backlog++;
    this.written++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offBlock();
    this.frames.clear();
    await this.channel.close();
  }

  private onBlock(block: Uint8Array): void {
    // One block read is one block of the write buffer played out.
    if (this.backlog > 0) this.backlog--;
    const samples = this.channel.law === 'mulaw' ? decodeMulaw(block) : decodeAlaw(block);
    let off = 0;
    while (off < samples.length) {
      const n = Math.min(PCM_FRAME_SAMPLES - this.filled, samples.length - off);
      this.partial.set(samples.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === PCM_FRAME_SAMPLES) {
        this.filled = 0;
        this.frames.emit(this.partial.slice());
      }
    }
  }
}
