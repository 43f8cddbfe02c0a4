import { Logger, silentLogger } from '../../src/core/logger';
import { ChannelAudioPort, ChannelAudioSource, CompandingLaw } from '../ports/channel-audio-port';
import { SeatEndpoint, TrunkLeg } from '../ports/media-port';
import { DAHDI } from './abi';
import { DahdiChannelSource, HeldChannel } from './dahdi-channel-lender';
import { DahdiChannelResolver } from './dahdi-channel-resolver';
import { UnsupportedSeatEndpointError } from './dahdi-media-bridge';

/**
 * A DAHDI channel's audio as a ChannelAudioPort. The channel is held from the
 * same lender the media bridge uses (DAHDI opens a channel once), so a player and
 * a recorder can read and write a channel that is also in a call's conference.
 * Blocks are copied before they are handed on: DahdiChannel reuses its read buffer.
 */
export class DahdiChannelAudioPort implements ChannelAudioPort {
  readonly name: string;
  readonly law: CompandingLaw;
  private readonly offs: (() => void)[] = [];
  private closed = false;

  constructor(private readonly held: HeldChannel) {
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
    return this.held.channel.writeAudio(block);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    this.held.release();
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
    return this.open(this.resolver.trunkChannel(leg));
  }

  seat(endpoint: SeatEndpoint): ChannelAudioPort {
    if (endpoint.kind !== 'fxs') throw new UnsupportedSeatEndpointError(endpoint);
    return this.open(this.resolver.seatChannel(endpoint));
  }

  private open(channo: number): ChannelAudioPort {
    const held = this.channels.hold(channo);
    try {
      return new DahdiChannelAudioPort(held);
    } catch (err) {
      held.release();
      this.logger.warn('channel audio could not be set up', { channo, err: String(err) });
      throw err;
    }
  }
}
