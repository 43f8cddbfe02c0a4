import { Unsubscribe } from '../../src/core/emitter';

/** The four TS16 signalling bits of one timeslot, A B C D from bit 3 down to bit 0. */
export type Abcd = number;

/**
 * What the R2 engine needs from one E1 timeslot: its TS16 ABCD bits both ways and
 * its A-law audio. drivers/dahdi provides it on a board (GETRXBITS/SETTXBITS, read
 * and write); simulator/ports/memory-cas-link.ts joins two ports back to back.
 *
 * Audio is lockstep, as on DAHDI: the port delivers one received frame per frame
 * period, and the listener answers with at most one frame to send. A period with
 * nothing written sends silence.
 */
export interface CasPort {
  readonly channel: number;
  readonly txBits: Abcd;
  readonly rxBits: Abcd;
  setTxBits(bits: Abcd): void;
  /** Subscribes to received bit changes; returns the unsubscribe function. */
  onRxBits(listener: (bits: Abcd) => void): Unsubscribe;
  /** Subscribes to received audio, one frame per period; returns the unsubscribe function. */
  onAudio(listener: (frame: Uint8Array) => void): Unsubscribe;
  writeAudio(frame: Uint8Array): void;
  /** Stops delivering; a closed port sends nothing. */
  close(): Promise<void>;
}

/** A-law code for a zero sample. */
export const ALAW_SILENCE = 0xd5;
