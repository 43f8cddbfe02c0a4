import { DahdiChannel } from './dahdi-channel';
import { Logger, silentLogger } from '../../src/core/logger';

/** An open DAHDI channel lent to a conference; release() gives it back. */
export interface HeldChannel {
  readonly channel: DahdiChannel;
  release(): void;
}

/** Where the media bridge gets open channels from. */
export interface DahdiChannelSource {
  hold(channo: number): HeldChannel;
}

export interface DahdiChannelLenderOptions {
  /**
   * A channel some other part already holds open (an FXO line's port, a seat's
   * hook watcher). DAHDI lets a channel be opened once (a second open is EBUSY),
   * so those are borrowed, and never closed here.
   */
  lookup?: (channo: number) => DahdiChannel | undefined;
  /** Opens a channel nobody holds (default DahdiChannel.open). */
  open?: (channo: number) => DahdiChannel;
  logger?: Logger;
}

/**
 * Lends channels to conferences: a borrowed one as it is, any other opened here
 * and closed when the last conference member on it lets it go (DAHDI drops a
 * closed channel from its conference too, so a forgotten SETCONF cannot linger).
 */
export class DahdiChannelLender implements DahdiChannelSource {
  private readonly opened = new Map<number, { channel: DahdiChannel; holders: number }>();
  private readonly lookup: (channo: number) => DahdiChannel | undefined;
  private readonly openChannel: (channo: number) => DahdiChannel;
  private readonly logger: Logger;

  constructor(opts: DahdiChannelLenderOptions = {}) {
    this.lookup = opts.lookup ?? (() => undefined);
    this.logger = opts.logger ?? silentLogger;
    this.openChannel = opts.open ?? ((channo) => DahdiChannel.open(channo, { logger: this.logger }));
  }

  hold(channo: number): HeldChannel {
    const borrowed = this.lookup(channo);
    if (borrowed) return { channel: borrowed, release: () => undefined };
    let entry = this.opened.get(channo);
    if (!entry) {
      entry = { channel: this.openChannel(channo), holders: 0 };
      this.opened.set(channo, entry);
    }
    entry.holders++;
    const held = entry;
    let released = false;
    return {
      channel: held.channel,
      release: () => {
        if (released) return;
        released = true;
        if (--held.holders > 0) return;
        this.opened.delete(channo);
        held.channel.close();
      },
    };
  }

  /** Channels this lender opened and still holds (diagnostics and tests). */
  openChannels(): number[] {
    return [...this.opened.keys()];
  }
}
