import { FileHandle, open } from 'node:fs/promises';

/**
 * A 16-bit PCM WAV file written while it grows: samples are buffered and
 * appended every `flushSamples` (one second by default), and each append also
 * rewrites the two sizes in the header, so a crash leaves a valid file that
 * lacks at most the last second. Appends are queued one after another on the
 * file handle; `close()` writes what is left.
 */
export interface WavFileWriterOptions {
  channels: 1 | 2;
  sampleRate?: number;
  /** Frames (samples per channel) buffered before an append; default one second. */
  flushFrames?: number;
}

const HEADER_BYTES = 44;

export class WavFileWriter {
  private buffer: Buffer;
  private filled = 0;
  private dataBytes = 0;
  private queue: Promise<void> = Promise.resolve();
  private failed: unknown;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly channels: number,
    private readonly sampleRate: number,
    flushFrames: number,
  ) {
    this.buffer = Buffer.alloc(flushFrames * channels * 2);
  }

  static async create(path: string, opts: WavFileWriterOptions): Promise<WavFileWriter> {
    const handle = await open(path, 'wx');
    const rate = opts.sampleRate ?? 8000;
    const w = new WavFileWriter(path, handle, opts.channels, rate, opts.flushFrames ?? rate);
    await handle.write(w.header(), 0, HEADER_BYTES, 0);
    return w;
  }

  /** Bytes of audio on disk or buffered. */
  get bytes(): number {
    return this.dataBytes + this.filled;
  }

  /** Appends interleaved samples (channels x frames). */
  write(samples: Int16Array): void {
    if (this.closed) return;
    for (let i = 0; i < samples.length; i++) {
      this.buffer.writeInt16LE(samples[i], this.filled);
      this.filled += 2;
      if (this.filled === this.buffer.length) this.flush();
    }
  }

  /** Resolves when every append queued so far is on disk (what is still buffered is not appended). */
  appended(): Promise<void> {
    return this.queue;
  }

  /** Queues what is buffered for the file, header sizes patched. */
  flush(): Promise<void> {
    if (this.filled > 0) {
      const chunk = Buffer.from(this.buffer.subarray(0, this.filled));
      this.filled = 0;
      const at = HEADER_BYTES + this.dataBytes;
      this.dataBytes += chunk.length;
      const header = this.header();
      this.queue = this.queue.then(async () => {
        if (this.failed) return;
        try {
          await this.handle.write(chunk, 0, chunk.length, at);
          await this.handle.write(header, 0, HEADER_BYTES, 0);
        } catch (err) {
          this.failed = err;
        }
      });
    }
    return this.queue;
  }

  /** Writes the rest and closes; rejects if any write failed. */
  async close(): Promise<void> {
    if (this.closed) return this.queue;
    await this.flush();
    this.closed = true;
    await this.handle.close();
    if (this.failed) throw this.failed;
  }

  private header(): Buffer {
    const h = Buffer.alloc(HEADER_BYTES);
    h.write('RIFF', 0, 'ascii');
    h.writeUInt32LE(36 + this.dataBytes, 4);
    h.write('WAVEfmt ', 8, 'ascii');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(this.channels, 22);
    h.writeUInt32LE(this.sampleRate, 24);
    h.writeUInt32LE(this.sampleRate * this.channels * 2, 28);
    h.writeUInt16LE(this.channels * 2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36, 'ascii');
    h.writeUInt32LE(this.dataBytes, 40);
    return h;
  }
}
