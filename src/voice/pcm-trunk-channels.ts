import { Unsubscribe } from '../core/emitter';
import { InputError } from '../core/errors';
import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { ChannelAudioPort, ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { PcmVoicePort } from '../../drivers/ports/pcm-voice-port';

/** Blocks written ahead of the module's own frames before writes are refused (as DAHDI's full buffers refuse them). */
export const PCM_CHANNEL_MAX_AHEAD = 3;

/**
 * A GSM module's PCM voice stream as the channel players and recorders use: A-law blocks
 * each way, one per frame the module sends. Writes are paced by the module's clock (each
 * frame it sends is one frame of ours played out), and refused while PCM_CHANNEL_MAX_AHEAD
 * are already ahead of it, so a player primes a little and then keeps step, as on DAHDI.
 * Closing only stops listening: the module's port stays open for its next call.
 */
export class PcmChannelAudioPort implements ChannelAudioPort {
  readonly law = 'alaw' as const;
  private readonly offs: Unsubscribe[] = [];
  private ahead = 0;
  private closed = false;
  private readonly offPacing: Unsubscribe;

  constructor(private readonly port: PcmVoicePort) {
    this.offPacing = port.onFrame(() => {
      if (this.ahead > 0) this.ahead--;
    });
  }

  get name(): string {
    return this.port.name;
  }

  onBlock(listener: (block: Uint8Array) => void): Unsubscribe {
    const off = this.port.onFrame((frame) => listener(encodeAlaw(frame)));
    this.offs.push(off);
    return off;
  }

  writeBlock(block: Uint8Array): number {
    if (this.closed || this.ahead >= PCM_CHANNEL_MAX_AHEAD) return 0;
    this.ahead++;
    void this.port.writeFrame(decodeAlaw(block)).catch(() => undefined);
    return block.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offPacing();
    for (const off of this.offs.splice(0)) off();
  }
}

/**
 * The channels of a site whose trunks include GSM modules: a call on a module is its PCM
 * port; every other trunk call and every seat comes from the board's source.
 */
export function pcmTrunkChannels(opts: {
  isPcmSpan(span: number): boolean;
  trunkPort(leg: TrunkLeg): PcmVoicePort | undefined;
  otherwise: ChannelAudioSource;
}): ChannelAudioSource {
  return {
    trunk(leg: TrunkLeg): ChannelAudioPort {
      if (!opts.isPcmSpan(leg.span)) return opts.otherwise.trunk(leg);
      const port = opts.trunkPort(leg);
      if (!port)
        throw new InputError(
          `call ${leg.callId}`,
          `the module on span ${leg.span} channel ${leg.channel} has no voice port: nothing can be played or recorded on it`,
        );
      return new PcmChannelAudioPort(port);
    },
    seat(endpoint: SeatEndpoint): ChannelAudioPort {
      return opts.otherwise.seat(endpoint);
    },
  };
}
