/**
 * An agent's phone on an FXS seat port: it rings (with the cadence the port was opened
 * with), its handset goes off and on hook, and its audio is 20 ms A-law each way (the
 * agent's digits and the confirmation tones travel there while it is in no call).
 */
import { Unsubscribe } from '../../src/core/emitter';

export type SeatPhonePortEvent =
  /** The handset was lifted (a ring trip while ringing) or put back. */
  | { type: 'hook'; offHook: boolean }
  /** 20 ms of audio from the handset, A-law, 160 bytes. */
  | { type: 'audio'; frame: Uint8Array };

export interface SeatPhonePort {
  /** For logs: "seat phone on DAHDI channel 33". */
  readonly name: string;
  readonly offHook: boolean;
  /** Starts ringing with the port's cadence (nothing happens when the handset is up). */
  ring(): void;
  stopRinging(): void;
  /** 20 ms of A-law to the handset (synchronous: DAHDI takes a block in one non-blocking write). */
  writeAudio(frame: Uint8Array): void;
  onEvent(listener: (ev: SeatPhonePortEvent) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Ring cadences (ms on, off, ...) by DAHDI tone zone; a zone not listed rings as China does. */
export const ZONE_RING_CADENCE: Readonly<Record<string, readonly number[]>> = {
  cn: [1000, 4000],
  us: [2000, 4000],
  uk: [400, 200, 400, 2000],
  de: [1000, 4000],
  jp: [1000, 2000],
  au: [400, 200, 400, 2000],
  fr: [1500, 3500],
};

export function ringCadenceForZone(zone: string): readonly number[] {
  return ZONE_RING_CADENCE[zone] ?? ZONE_RING_CADENCE.cn;
}
