import { Clock, TimerHandle } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { AUDIO_BLOCK_BYTES, ChannelAudioPort, ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { TrunkLeg } from '../../drivers/ports/media-port';
import { PlayRequest, PlayResult, VoicePlayer } from '../../drivers/ports/voice-port';
import { decodeAlaw, decodeMulaw } from '../dsp/g711';
import { KeyCollector, KeyEnd } from './key-collector';
import { PromptLibrary } from './prompt-library';

export interface ChannelVoicePlayerOptions {
  audio: ChannelAudioSource;
  prompts: PromptLibrary;
  clock: Clock;
  logger?: Logger;
  /** Silence between two plays of a prompt (ms, default 500). */
  gapMs?: number;
}

/** Blocks written ahead of the line before the first one comes back (DAHDI buffers 4). */
const PRIME_BLOCKS = 2;
/** A channel that delivers no audio for this long has stopped (a span alarm): the play ends. */
const STALL_MS = 3000;

/**
 * Plays a prompt on a call's own trunk channel and collects the keys the callee
 * presses, on a board (DAHDI) or wherever the ChannelAudioSource leads. The
 * line paces it: every 20 ms block that arrives from the callee is fed to the DTMF
 * receiver, and one block of the prompt is written in its place, so the write
 * buffer never runs dry or over, and no timer runs per block. The prompt (decoded
 * and companded in the channel's law once, by the PromptLibrary) is played
 * `plays` times with a short gap; a key stops it when barge-in is on; the call
 * ending stops everything and gives the channel back.
 */
export class ChannelVoicePlayer implements VoicePlayer {
  private readonly logger: Logger;

  constructor(private readonly opts: ChannelVoicePlayerOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  async play(leg: TrunkLeg, req: PlayRequest, hangup: Promise<unknown>): Promise<PlayResult> {
    const port = this.opts.audio.trunk(leg);
    let audio: Uint8Array;
    try {
      const parts = await Promise.all([req.file, ...(req.followedBy ?? [])].map((f) => this.opts.prompts.encoded(f, port.law)));
      audio = parts.length === 1 ? parts[0] : concat(parts);
    } catch (err) {
      void port.close();
      throw err;
    }
    return new Promise<PlayResult>((resolve) => {
      const run = new PlayRun(port, audio, req, this.opts, (r) => resolve(r));
      void hangup.then(() => run.finish(false));
      run.start();
    }).then((r) => {
      this.logger.debug('prompt played', { call: leg.callId, file: req.file, ...r });
      return r;
    });
  }
}

/** One play on one channel: from the first block written to the channel given back. */
class PlayRun {
  private readonly total: number;
  private readonly gap: number;
  private readonly plays: number;
  private readonly collector: KeyCollector | undefined;
  private readonly bargeIn: boolean;
  private readonly linear = new Int16Array(AUDIO_BLOCK_BYTES);
  private readonly decode: typeof decodeAlaw;
  private readonly silence: number;
  private position = 0;
  private pending: Uint8Array | undefined;
  private promptDone = false;
  private blocksIn = 0;
  /** Blocks still to come back after the prompt's last one was written (it is in DAHDI's buffer). */
  private tail = PRIME_BLOCKS;
  private done = false;
  private off: (() => void) | undefined;
  private watchdog: TimerHandle | undefined;
  private lastBlockAt: number;
  keyEnd: KeyEnd | undefined;

  constructor(
    private readonly port: ChannelAudioPort,
    private readonly audio: Uint8Array,
    req: PlayRequest,
    private readonly opts: ChannelVoicePlayerOptions,
    private readonly resolve: (r: PlayResult) => void,
  ) {
    this.plays = Math.max(1, req.plays);
    this.gap = Math.round(((req.gapMs ?? opts.gapMs ?? 500) * 8) / AUDIO_BLOCK_BYTES) * AUDIO_BLOCK_BYTES;
    this.total = this.plays * audio.length + (this.plays - 1) * this.gap;
    this.silence = port.law === 'alaw' ? 0xd5 : 0xff;
    this.decode = port.law === 'alaw' ? decodeAlaw : decodeMulaw;
    const k = req.collectKeys;
    this.collector =
      k && k.maxKeys > 0
        ? new KeyCollector({
            maxKeys: k.maxKeys,
            firstKeyMs: k.timeoutSec * 1000,
            interKeyMs: (k.interKeySec ?? k.timeoutSec) * 1000,
            terminator: k.terminator ?? '#',
          })
        : undefined;
    this.bargeIn = this.collector !== undefined && req.bargeIn !== false;
    this.lastBlockAt = opts.clock.now();
  }

  start(): void {
    this.off = this.port.onBlock((b) => this.onBlock(b));
    for (let i = 0; i < PRIME_BLOCKS; i++) this.writeNext();
    this.armWatchdog();
  }

  finish(completed: boolean): void {
    if (this.done) return;
    this.done = true;
    this.off?.();
    this.watchdog?.cancel();
    this.collector?.close();
    void this.port.close();
    this.resolve({ keys: this.collector?.keys ?? '', completed, playedMs: this.blocksIn * 20, keyEnd: this.collector?.end });
  }

  private onBlock(block: Uint8Array): void {
    if (this.done) return;
    this.blocksIn++;
    this.lastBlockAt = this.opts.clock.now();
    if (this.collector) {
      const got = this.collector.feed(this.decode(block, this.linear), (block.length / 8) | 0);
      if (got && this.bargeIn && !this.promptDone) this.stopPrompt();
    }
    if (!this.promptDone) this.writeNext();
    else if (this.tail > 0) this.tail--;
    if (this.promptDone && this.tail === 0 && (!this.collector || this.collector.end)) this.finish(true);
  }

  private stopPrompt(): void {
    if (this.pending || this.position < this.total) this.tail = 0; // cut short: nothing of it needs to be heard
    this.promptDone = true;
    this.pending = undefined;
    this.collector?.promptEnded();
  }

  /** Writes the next block of the prompt (or the one DAHDI refused last time). */
  private writeNext(): void {
    if (this.promptDone) return;
    if (!this.pending) {
      if (this.position >= this.total) {
        this.stopPrompt();
        return;
      }
      this.pending = this.blockAt(this.position);
      this.position += AUDIO_BLOCK_BYTES;
    }
    if (this.port.writeBlock(this.pending) > 0) this.pending = undefined;
  }

  /** The block at `pos` of the whole play: prompt, gap, prompt, ... (the last block padded with silence). */
  private blockAt(pos: number): Uint8Array {
    const out = new Uint8Array(AUDIO_BLOCK_BYTES).fill(this.silence);
    const cycle = this.audio.length + this.gap;
    for (let i = 0; i < AUDIO_BLOCK_BYTES && pos + i < this.total; i++) {
      const at = (pos + i) % cycle;
      if (at < this.audio.length) out[i] = this.audio[at];
    }
    return out;
  }

  private armWatchdog(): void {
    this.watchdog = this.opts.clock.setTimer(STALL_MS, () => {
      if (this.done) return;
      if (this.opts.clock.now() - this.lastBlockAt >= STALL_MS) {
        this.finish(false);
        return;
      }
      this.armWatchdog();
    });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
