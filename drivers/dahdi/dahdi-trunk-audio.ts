import { Logger, silentLogger } from '../../src/core/logger';
import { TrunkAudio, TrunkAudioPort } from '../ports/trunk-audio-port';
import { DahdiChannelSource } from './dahdi-channel-lender';

export interface DahdiTrunkAudioOptions {
  /** The DAHDI channel number of bearer `channel` of span `span`; undefined where there is none. */
  channo: (span: number, channel: number) => number | undefined;
  /**
   * Where open channels come from: the site's one lender, so a channel a span
   * already holds (a China No.1 timeslot) is borrowed, and one the media bridge
   * conferences is shared (DAHDI opens a channel once).
   */
  channels: DahdiChannelSource;
  logger?: Logger;
}

/**
 * Trunk voice paths on DAHDI: a bearer channel's 20 ms A-law reads and writes.
 * The channel is held while any port on it is open and given back when the last
 * one closes.
 */
export class DahdiTrunkAudio implements TrunkAudio {
  private readonly logger: Logger;

  constructor(private readonly opts: DahdiTrunkAudioOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  open(span: number, channel: number): TrunkAudioPort | undefined {
    const channo = this.opts.channo(span, channel);
    if (channo === undefined) return undefined;
    const held = this.opts.channels.hold(channo);
    const offs: (() => void)[] = [];
    let closed = false;
    let writeFailures = 0;
    return {
      name: `DAHDI channel ${channo}`,
      onFrame: (listener) => {
        const off = held.channel.onData(listener);
        offs.push(off);
        return off;
      },
      writeFrame: (frame) => {
        if (closed) return;
        try {
          // 0 bytes taken: DAHDI's buffers are full, the frame is dropped (the line hears a gap).
          held.channel.writeAudio(frame);
        } catch (err) {
          // The channel went away under the call (span removed): the call is ending anyway.
          if (writeFailures++ === 0) this.logger.warn('trunk audio write failed', { channo, err: String(err) });
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        for (const off of offs.splice(0)) off();
        held.release();
      },
    };
  }
}
