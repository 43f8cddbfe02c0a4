import { Logger, silentLogger } from '../../src/core/logger';
import { ChannelAudioPort, ChannelAudioSource, CompandingLaw, TrunkAudio } from '../ports/channel-audio-port';
import { SeatEndpoint, TrunkLeg } from '../ports/media-port';
import { DAHDI } from './abi';
import { DahdiChannelSource, HeldChannel } from './dahdi-channel-lender';
import { DahdiChannelResolver } from './dahdi-channel-resolver';
import { UnsupportedSeatEndpointError } from './dahdi-media-bridge';

/**
 * A DAHDI channel's audio as a ChannelAudioPort. The channel is held from the
 * site's one lender (DAHDI opens a channel once), so a player, a recorder and the
 * in-band analysis can read and write a channel that a span also holds (a China
 * No.1 timeslot) or that is in a call's conference. It is given back when this
 * port closes (and closed when the last holder gives it back).
 * Blocks are copied before they are handed on: DahdiChannel reuses its read buffer.
 */
export class DahdiChannelAudioPort implements ChannelAudioPort {
  readonly name: string;
  readonly law: CompandingLaw;
  private readonly offs: (() => void)[] = [];
  private closed = false;
  private writeFailures = 0;

  constructor(
    private readonly held: HeldChannel,
    private readonly logger: Logger = silentLogger,
  ) {
    const ch = held.channel;
    this.name = `DAHDI channel ${ch.channo}`;
    // DAHDI reads and writes in the span's law unless SETLAW changed it; E1 (and the userspace DAHDI) is A-law.
    this.law = ch.params().curlaw === DAHDI.LAW_MULAW ? 'mulaw' : 'alaw';
  }

  onBlock(listener: (block: Uint8Array) => void): () => void {
    const off = this.held.channel.onData((data) => listener(data.slice()));
    this.offs.push(off);
    return off;
  }

  writeBlock(block: Uint8Array): number {
    if (this.closed) return 0;
    try {
      // 0 bytes taken: DAHDI's buffers are full, the block is dropped (the line hears a gap).
      return this.held.channel.writeAudio(block);
    } catch (err) {
      // The channel went away under the call (span removed): the call is ending anyway.
      if (this.writeFailures++ === 0) this.logger.warn('channel audio write failed', { channel: this.name, err: String(err) });
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    this.held.release();
  }
}

/** Holds `channo` from `channels` as a ChannelAudioPort; the channel is given back if the port cannot be set up. */
function openChannelAudio(channels: DahdiChannelSource, channo: number, logger: Logger): ChannelAudioPort {
  const held = channels.hold(channo);
  try {
    return new DahdiChannelAudioPort(held, logger);
  } catch (err) {
    held.release();
    logger.warn('channel audio could not be set up', { channo, err: String(err) });
    throw err;
  }
}

/** Trunk and seat channels of a site, found by its layout and held from the shared lender. */
export class DahdiChannelAudioSource implements ChannelAudioSource {
  constructor(
    private readonly resolver: DahdiChannelResolver,
    private readonly channels: DahdiChannelSource,
    private readonly logger: Logger = silentLogger,
  ) {}

  trunk(leg: TrunkLeg): ChannelAudioPort {
    return openChannelAudio(this.channels, this.resolver.trunkChannel(leg), this.logger);
  }

  seat(endpoint: SeatEndpoint): ChannelAudioPort {
    if (endpoint.kind !== 'fxs') throw new UnsupportedSeatEndpointError(endpoint);
    return openChannelAudio(this.channels, this.resolver.seatChannel(endpoint), this.logger);
  }
}

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

/** Trunk bearer channels on DAHDI by span and channel number (what the in-band analysis asks for). */
export class DahdiTrunkAudio implements TrunkAudio {
  private readonly logger: Logger;

  constructor(private readonly opts: DahdiTrunkAudioOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  open(span: number, channel: number): ChannelAudioPort | undefined {
    const channo = this.opts.channo(span, channel);
    if (channo === undefined) return undefined;
    return openChannelAudio(this.opts.channels, channo, this.logger);
  }
}
