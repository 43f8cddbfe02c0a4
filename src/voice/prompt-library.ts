import { stat } from 'node:fs/promises';
import { CompandingLaw } from '../../drivers/ports/channel-audio-port';
import { encodeAlaw, encodeMulaw } from '../dsp/g711';
import { DecodedPrompt, decodePromptFile, PromptFileError } from './prompt-decoder';

export interface PromptLibraryOptions {
  /** Decoded audio kept at most (bytes of linear + companded); least recently used goes first. Default 64 MiB. */
  maxBytes?: number;
  /** How prompts are decoded (default: from the file). */
  decode?: (file: string) => Promise<DecodedPrompt>;
}

interface Cached {
  mtimeMs: number;
  size: number;
  prompt: DecodedPrompt;
  encoded: Partial<Record<CompandingLaw, Uint8Array>>;
  bytes: number;
}

/**
 * Prompts decoded once and kept, in linear and in each law a channel asked for:
 * a broadcast campaign plays the same file to every callee. A file changed on
 * disk (its time or size) is decoded again; two calls asking at once share one
 * decode.
 */
export class PromptLibrary {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<Cached>>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly decode: (file: string) => Promise<DecodedPrompt>;
  /** Decodes done (for tests and the benchmark). */
  decodes = 0;

  constructor(opts: PromptLibraryOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.decode = opts.decode ?? decodePromptFile;
  }

  /** The prompt as 8 kHz linear samples. */
  async linear(file: string): Promise<DecodedPrompt> {
    return (await this.entry(file)).prompt;
  }

  /** The prompt companded for a channel of this law. */
  async encoded(file: string, law: CompandingLaw): Promise<Uint8Array> {
    const e = await this.entry(file);
    let out = e.encoded[law];
    if (!out) {
      out = law === 'alaw' ? encodeAlaw(e.prompt.samples) : encodeMulaw(e.prompt.samples);
      e.encoded[law] = out;
      e.bytes += out.length;
      this.bytes += out.length;
      this.evict();
    }
    return out;
  }

  private async entry(file: string): Promise<Cached> {
    let st;
    try {
      st = await stat(file);
    } catch (err) {
      throw new PromptFileError(file, 'unreadable', (err as NodeJS.ErrnoException).code ?? String(err));
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      this.cache.delete(file);
      this.cache.set(file, hit);
      return hit;
    }
    const running = this.pending.get(file);
    if (running) return running;
    const loading = this.decode(file).then((prompt) => {
      this.decodes++;
      this.drop(file);
      const e: Cached = { mtimeMs: st.mtimeMs, size: st.size, prompt, encoded: {}, bytes: prompt.samples.byteLength };
      this.cache.set(file, e);
      this.bytes += e.bytes;
      this.evict();
      return e;
    });
    this.pending.set(file, loading);
    try {
      return await loading;
    } finally {
      this.pending.delete(file);
    }
  }

  private drop(file: string): void {
    const old = this.cache.get(file);
    if (!old) return;
    this.cache.delete(file);
    this.bytes -= old.bytes;
  }

  private evict(): void {
    for (const file of this.cache.keys()) {
      if (this.bytes <= this.maxBytes || this.cache.size <= 1) return;
      this.drop(file);
    }
  }
}
