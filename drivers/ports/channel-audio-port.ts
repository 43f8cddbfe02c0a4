import { Unsubscribe } from '../../src/core/emitter';
import { SeatEndpoint, TrunkLeg } from './media-port';

/** The companding law a channel carries: A-law on E1 (China), mu-law on T1. */
export type CompandingLaw = 'alaw' | 'mulaw';

/** 20 ms of 8 kHz audio: one block each way. */
export const AUDIO_BLOCK_BYTES = 160;

/**
 * One channel's own audio both ways, as the board carries it: 20 ms blocks of
 * companded bytes in the channel's law. The channel is a trunk bearer (a PRI
 * B-channel, a China No.1 timeslot: call progress, AMD, prompts, keys, recording)
 * or a seat's FXS port (the agent's handset). On a board it is the DAHDI channel's
 * reads and writes (drivers/dahdi/dahdi-channel-audio.ts); in the simulator a
 * timeslot of an in-memory cable or a CAS port's audio
 * (simulator/ports/memory-trunk-audio.ts), or a tick-driven memory channel for unit
 * tests (simulator/ports/memory-channel-audio.ts).
 *
 * Audio is lockstep, as on DAHDI: one block received per 20 ms of line time. What
 * is read is what arrives from the line whether or not the channel is in a
 * conference; what is written goes onto the line (mixed with the conference on a
 * bridged channel). Several ports may be open on one channel at once (an analyser
 * and a prompt player): each hears every block.
 */
export interface ChannelAudioPort {
  /** For logs and errors: "DAHDI channel 17", "span 1 ch 5". */
  readonly name: string;
  readonly law: CompandingLaw;
  /** Blocks received from the line, in order; each one is 20 ms of time passing on the line. */
  onBlock(listener: (block: Uint8Array) => void): Unsubscribe;
  /**
   * Queues one block for the line; returns the bytes taken (0 when the channel's
   * buffers are full or the channel is gone). Synchronous: DAHDI takes a block in
   * one non-blocking write.
   */
  writeBlock(block: Uint8Array): number;
  /** Stops delivering to this port's listeners and gives the channel back (it stays open if another part holds it). Idempotent. */
  close(): Promise<void>;
}

/** Where players and recorders get a call's channels from. */
export interface ChannelAudioSource {
  /** The trunk channel a call is on. */
  trunk(leg: TrunkLeg): ChannelAudioPort;
  /** A seat's own line (an FXS port); throws a typed error for a seat without one. */
  seat(endpoint: SeatEndpoint): ChannelAudioPort;
}

/** Where a span's bearer channels are had by number (the in-band analysis asks before a call has a leg): one per site or rig. */
export interface TrunkAudio {
  /** The audio of bearer `channel` of span `span`, or undefined when this span's audio cannot be reached here. */
  open(span: number, channel: number): ChannelAudioPort | undefined;
}
