import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { PCM_FRAME_SAMPLES, PcmVoicePort } from '../ports/pcm-voice-port';
import { SerialLinePort } from '../ports/serial-line-port';

const FRAME_BYTES = PCM_FRAME_SAMPLES * 2;

/**
 * A module's PCM voice port (SIMCom AT+CPCMREG=1, Huawei ^DDSETEX=2): 320-byte frames of
 * 8 kHz signed 16-bit little-endian samples on a serial tty. Chunks are reassembled into
 * whole frames; at most one partial frame is held, so a stream that loses bytes costs one
 * frame, never memory. When the module is unplugged its tty goes with it: `replaceLine` puts
 * the reopened one in its place, for the next call.
 */
export class SerialPcmVoicePort implements PcmVoicePort {
  private readonly frames = new Emitter<[Int16Array]>();
  private partial = new Uint8Array(FRAME_BYTES);
  private filled = 0;
  private unsubscribe: Unsubscribe[] = [];

  constructor(private line: SerialLinePort) {
    this.listen(line);
  }

  get name(): string {
    return this.line.path;
  }

  /** Whether its tty is open (false once the module was unplugged, until replaceLine). */
  get isOpen(): boolean {
    return this.line.isOpen;
  }

  /** The module's tty opened again (after an unplug): frames come from it from now on. */
  replaceLine(line: SerialLinePort): void {
    for (const u of this.unsubscribe) u();
    this.line = line;
    this.filled = 0;
    this.listen(line);
  }

  private listen(line: SerialLinePort): void {
    // A closed line ends the call's listeners too: the call on it is over.
    this.unsubscribe = [line.onData((chunk) => this.onChunk(chunk)), line.onClosed(() => this.frames.clear())];
  }

  onFrame(listener: (frame: Int16Array) => void): Unsubscribe {
    return this.frames.on(listener);
  }

  async writeFrame(frame: Int16Array): Promise<void> {
    const bytes = new Uint8Array(frame.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < frame.length; i++) view.setInt16(i * 2, frame[i], true);
    await this.line.write(bytes);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.frames.clear();
    await this.line.close();
  }

  private onChunk(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(FRAME_BYTES - this.filled, chunk.length - off);
      this.partial.set(chunk.subarray(off, off + n), this.filled);
      this.filled += n;
      off += n;
      if (this.filled === FRAME_BYTES) {
        const view = new DataView(this.partial.buffer);
        const frame = new Int16Array(PCM_FRAME_SAMPLES);
        for (let i = 0; i < PCM_FRAME_SAMPLES; i++) frame[i] = view.getInt16(i * 2, true);
        this.filled = 0;
        this.frames.emit(frame);
      }
    }
  }
}
