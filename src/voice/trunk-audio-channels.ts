import { InputError } from '../core/errors';
import { ChannelAudioPort, ChannelAudioSource, TrunkAudio } from '../../drivers/ports/channel-audio-port';
import { endpointKey, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';

/**
 * A call's trunk channel reached through a TrunkAudio (the bearer channels the
 * in-band analysis listens on: DahdiTrunkAudio on a board, the simulator's cables),
 * for players and recorders. Seats are not on a TrunkAudio: asking for one is a
 * typed error.
 */
export function trunkAudioChannels(trunkAudio: TrunkAudio): ChannelAudioSource {
  return {
    trunk(leg: TrunkLeg): ChannelAudioPort {
      const port = trunkAudio.open(leg.span, leg.channel);
      if (!port) throw new InputError(`call ${leg.callId}`, `span ${leg.span} channel ${leg.channel} has no voice path here`);
      return port;
    },
    seat(endpoint: SeatEndpoint): ChannelAudioPort {
      throw new InputError(`seat ${endpointKey(endpoint)}`, 'a seat has no voice path on the trunks');
    },
  };
}
