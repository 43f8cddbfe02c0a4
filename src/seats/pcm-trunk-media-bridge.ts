import { ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { Conference, MediaBridge, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { PcmVoicePort } from '../../drivers/ports/pcm-voice-port';
import { ChannelPcmPort } from './channel-pcm-port';
import { SoftwareMediaBridge } from './software-media-bridge';

export interface PcmTrunkMediaBridgeOptions {
  /** Whether a span's calls carry their audio as a PCM stream (GSM/LTE modules) rather than on a board channel. */
  isPcmSpan(span: number): boolean;
  /** The PCM stream of a call on such a span; undefined when the module has none (no voice port, or it could not be opened). */
  trunkPort(leg: TrunkLeg): PcmVoicePort | undefined;
  /** Seats' own board channels (FXS ports), held for as long as they are in a call. */
  seatAudio: ChannelAudioSource;
  /** Everything else: board trunks (DAHDI conferences), or seats the board does not have (simulated agents). */
  otherwise: MediaBridge;
}

/**
 * The site's one MediaBridge when some trunks are GSM modules: a call on a module is mixed
 * in software between the module's PCM port and each seat's FXS channel read and written
 * directly (ChannelPcmPort paces it to the board's clock); calls on board trunks, and
 * seats that have no board channel, go to the bridge the site had anyway.
 */
export class PcmTrunkMediaBridge implements MediaBridge {
  private readonly software: SoftwareMediaBridge;

  constructor(private readonly opts: PcmTrunkMediaBridgeOptions) {
    this.software = new SoftwareMediaBridge({
      trunk: (leg) => opts.trunkPort(leg),
      seat: (endpoint) => (endpoint.kind === 'fxs' ? new ChannelPcmPort(opts.seatAudio.seat(endpoint)) : undefined),
      release: (_endpoint, port) => void port.close(),
    });
  }

  bridge(trunk: TrunkLeg, seat: SeatEndpoint): Promise<Conference> {
    if (this.opts.isPcmSpan(trunk.span) && seat.kind === 'fxs') return this.software.bridge(trunk, seat);
    return this.opts.otherwise.bridge(trunk, seat);
  }
}
