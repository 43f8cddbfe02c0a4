import { Unsubscribe } from '../../src/core/emitter';
import { SeatEndpoint, TrunkLeg } from './media-port';

/** The companding law a channel carries: A-law on E1 (China), mu-law on T1. */
export type CompandingLaw = 'alaw' | 'mulaw';

/** 20 ms of 8 kHz audio: one block each way. */
export const AUDIO_BLOCK_BYTES = 160;

/**
 * One channel's own audio both ways, as the board carries it: blocks of
 * companded bytes in the channel's law. On a board this is the DAHDI channel's
 * read and write (drivers/dahdi/dahdi-channel-audio.ts); in unit tests a memory
 * channel (simulator/ports/memory-channel-audio.ts). What is read is what arrives
 * from the line (the customer on a trunk channel, the agent on a seat's FXS port)
 * whether or not the channel is in a conference; what is written goes onto the
 * line (mixed with the conference on a bridged channel).
 */
export interface ChannelAudioPort {
  /** For logs and errors: "DAHDI channel 17". */
  readonly name: string;
  readonly law: CompandingLaw;
  /** Blocks received from the line, in order; each one is 20 ms of time passing on the line. */
  onBlock(listener: (block: Uint8Array) => void): Unsubscribe;
  /**
   * Queues one block for the line; returns the bytes taken (0 when the channel's
   * buffers are full). Synchronous: DAHDI takes it in one non-blocking write.
   */
  writeBlock(block: Uint8Array): number;
  /** Gives the channel back (it stays open if another part holds it). */
  close(): void;
}

/** Where players and recorders get a call's channels from. */
export interface ChannelAudioSource {
  /** The trunk channel a call is on. */
  trunk(leg: TrunkLeg): ChannelAudioPort;
  /** A seat's own line (an FXS port); throws a typed error for a seat without one. */
  seat(endpoint: SeatEndpoint): ChannelAudioPort;
}
