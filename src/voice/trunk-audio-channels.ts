import { InputError } from '../core/errors';
import { ChannelAudioPort, ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { endpointKey, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { TrunkAudio } from '../../drivers/ports/trunk-audio-port';

/**
 * A call's trunk channel reached through a TrunkAudio (the bearer voice paths the
 * in-band analysis listens on: DahdiTrunkAudio on a board, the simulator's cables),
 * as the ChannelAudioPort players and recorders use. E1 bearers are A-law. Seats
 * are not on a TrunkAudio: asking for one is a typed error.
 */
export function trunkAudioChannels(trunkAudio: TrunkAudio): ChannelAudioSource {
  return {
    trunk(leg: TrunkLeg): ChannelAudioPort {
      const port = trunkAudio.open(leg.span, leg.channel);
      if (!port) throw new InputError(`call ${leg.callId}`, `span ${leg.span} channel ${leg.channel} has no voice path here`);
      return {
        name: port.name,
        law: 'alaw',
        onBlock: (listener) => port.onFrame(listener),
        writeBlock: (block) => {
          port.writeFrame(block);
          return block.length;
        },
        close: () => void port.close(),
      };
    },
    seat(endpoint: SeatEndpoint): ChannelAudioPort {
      throw new InputError(`seat ${endpointKey(endpoint)}`, 'a seat has no voice path on the trunks');
    },
  };
}
