import { Unsubscribe } from '../../src/core/emitter';

/**
 * The voice path of one trunk bearer channel (an E1 PRI B-channel, a China No.1
 * timeslot): 20 ms of A-law each way. On a board it is the DAHDI channel's reads
 * and writes (drivers/dahdi/dahdi-trunk-audio.ts); in the simulator a timeslot of an
 * in-memory cable (simulator/ports/memory-trunk-audio.ts) or a CAS port's audio.
 * Call-progress analysis, AMD, prompts and key capture all listen and speak here.
 *
 * Audio is lockstep, as on DAHDI: one received frame per 20 ms, and at most one
 * frame written per frame received; a period with nothing written sends silence.
 */
export interface TrunkAudioPort {
  /** For logs: "span 1 ch 5", "DAHDI channel 37". */
  readonly name: string;
  /** Frames from the far end, A-law, TRUNK_AUDIO_FRAME bytes each, in order. */
  onFrame(listener: (frame: Uint8Array) => void): Unsubscribe;
  /** Sends one frame toward the far end. Synchronous: DAHDI takes a block in one non-blocking write. */
  writeFrame(frame: Uint8Array): void;
  /** Stops delivering to this port's listeners; the channel itself stays with its owner. Idempotent. */
  close(): Promise<void>;
}

/** 20 ms of A-law at 8 kHz. */
export const TRUNK_AUDIO_FRAME = 160;

/** Where a trunk channel's voice path is had: one per site (or rig), asked per call. */
export interface TrunkAudio {
  /**
   * The voice path of bearer `channel` of span `span`, or undefined when this
   * span's audio cannot be reached here. Several ports may be open on one channel
   * at once (an analyser and a prompt player): each hears every frame.
   */
  open(span: number, channel: number): TrunkAudioPort | undefined;
}
