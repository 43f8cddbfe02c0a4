import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Clock } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { ChannelAudioPort, ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { decodeAlaw, decodeMulaw } from '../dsp/g711';
import { WavFileWriter } from './wav-file-writer';

/**
 * Records a bridged call, customer and agent, to one WAV file per call, from each
 * party's own channel (the trunk channel hears the customer, the seat's FXS port
 * the agent): 'stereo' keeps them apart (customer left, agent right), 'mixed' sums
 * them into one channel. The customer's channel paces the file: each block from it
 * is written with the agent's block of the same moment (silence if the agent's
 * channel has none yet), so the file is as long as the call was. Written as it goes
 * (WavFileWriter: at most the last second lost in a crash).
 */
export type RecordingLayout = 'stereo' | 'mixed';

export interface RecordingInfo {
  campaign: string;
  number: string;
  seatId: string;
  layout: RecordingLayout;
}

export interface CallRecording {
  readonly path: string;
  /** Resolves when the whole seconds recorded so far are on disk (what a crash now would keep). */
  written(): Promise<void>;
  /** Stops, writes the rest, gives the channels back; resolves with the seconds recorded. */
  stop(): Promise<{ path: string; seconds: number }>;
}

export interface CallRecorderOptions {
  audio: ChannelAudioSource;
  /** Recordings go to DIR/CAMPAIGN/YYYY-MM-DD/. */
  dir: string;
  clock: Clock;
  logger?: Logger;
}

/** Agent blocks held while the customer's channel has not caught up (a fifth of a second). */
const MAX_AGENT_LAG_BLOCKS = 10;

export class CallRecorder {
  private readonly logger: Logger;

  constructor(private readonly opts: CallRecorderOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** The file a call's recording goes to: campaign, number, seat and start time (UTC) in its name. */
  pathFor(info: RecordingInfo, at: number): string {
    const iso = new Date(at).toISOString(); // 2026-12-06T19:01:02.345Z
    const day = iso.slice(0, 10);
    const stamp = iso.slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const name = `${safe(info.campaign)}_${safe(info.number)}_${safe(info.seatId)}_${stamp}Z.wav`;
    return join(this.opts.dir, safe(info.campaign), day, name);
  }

  async start(trunk: TrunkLeg, seat: SeatEndpoint, info: RecordingInfo): Promise<CallRecording> {
    let path = this.pathFor(info, this.opts.clock.now());
    await mkdir(join(path, '..'), { recursive: true });
    let writer: WavFileWriter | undefined;
    for (let n = 2; !writer; n++) {
      try {
        writer = await WavFileWriter.create(path, { channels: info.layout === 'stereo' ? 2 : 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 20) throw err;
        path = path.replace(/(-\d+)?\.wav$/, `-${n}.wav`);
      }
    }
    const customer = this.opts.audio.trunk(trunk);
    let agent: ChannelAudioPort | undefined;
    try {
      agent = this.opts.audio.seat(seat);
    } catch (err) {
      this.logger.warn('agent side not recorded: the seat has no channel to read', { call: trunk.callId, err: String(err) });
    }
    return new RunningRecording(path, writer, customer, agent, info.layout);
  }

  /** Deletes recordings older than `days` under the directory; returns how many. */
  async prune(days: number): Promise<number> {
    const before = this.opts.clock.now() - days * 86_400_000;
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.wav') && (await stat(p)).mtimeMs < before) {
          await unlink(p);
          removed++;
        }
      }
    };
    await walk(this.opts.dir);
    if (removed) this.logger.info('old recordings deleted', { removed, olderThanDays: days });
    return removed;
  }
}

class RunningRecording implements CallRecording {
  private readonly agentBlocks: Int16Array[] = [];
  private readonly offs: (() => void)[] = [];
  private frames = 0;
  private stopped: Promise<{ path: string; seconds: number }> | undefined;

  constructor(
    readonly path: string,
    private readonly writer: WavFileWriter,
    private readonly customer: ChannelAudioPort,
    private readonly agent: ChannelAudioPort | undefined,
    private readonly layout: RecordingLayout,
  ) {
    const decodeC = customer.law === 'alaw' ? decodeAlaw : decodeMulaw;
    if (agent) {
      const decodeA = agent.law === 'alaw' ? decodeAlaw : decodeMulaw;
      this.offs.push(
        agent.onBlock((b) => {
          this.agentBlocks.push(decodeA(b));
          if (this.agentBlocks.length > MAX_AGENT_LAG_BLOCKS) this.agentBlocks.shift();
        }),
      );
    }
    this.offs.push(customer.onBlock((b) => this.write(decodeC(b))));
  }

  written(): Promise<void> {
    return this.writer.appended();
  }

  stop(): Promise<{ path: string; seconds: number }> {
    this.stopped ??= (async () => {
      for (const off of this.offs.splice(0)) off();
      void this.customer.close();
      void this.agent?.close();
      await this.writer.close();
      return { path: this.path, seconds: this.frames / 8000 };
    })();
    return this.stopped;
  }

  private write(c: Int16Array): void {
    const a = this.agentBlocks.shift();
    const n = c.length;
    const out = new Int16Array(this.layout === 'stereo' ? 2 * n : n);
    for (let i = 0; i < n; i++) {
      const av = a && i < a.length ? a[i] : 0;
      if (this.layout === 'stereo') {
        out[2 * i] = c[i];
        out[2 * i + 1] = av;
      } else {
        const m = c[i] + av;
        out[i] = m > 32767 ? 32767 : m < -32768 ? -32768 : m;
      }
    }
    this.frames += n;
    this.writer.write(out);
  }
}

function safe(s: string): string {
  return s.replace(/[^0-9A-Za-z+._-]/g, '_').slice(0, 64) || '_';
}
