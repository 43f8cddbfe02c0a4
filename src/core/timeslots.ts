/**
 * Where a span's channels are. DAHDI numbers every channel on the machine once: a
 * span's channels are basechan .. basechan + count - 1, so E1 timeslot n (or
 * analog port n) is DAHDI channel basechan + n - 1. One place for that arithmetic.
 */

/** Timeslots of an E1 that carry something: 1-31 (TS0 is framing). */
export const E1_TIMESLOTS = 31;

/** TS16: the PRI D-channel, the CAS multiframe of R2, the usual No.7 link. */
export const E1_SIGNALLING_TIMESLOT = 16;

/** Bearer timeslots of an E1 whose TS16 carries signalling: 1-15 and 17-31. */
export const E1_BEARERS: readonly number[] = Array.from({ length: E1_TIMESLOTS }, (_, i) => i + 1).filter(
  (ts) => ts !== E1_SIGNALLING_TIMESLOT,
);

/** The same list as installers and system.conf write it. */
export const E1_BEARER_RANGES = '1-15,17-31';

/** DAHDI channel number of timeslot (or port) `position`, 1-based, of the span starting at `basechan`. */
export function dahdiChannelNumber(basechan: number, position: number): number {
  return basechan + position - 1;
}

/** The 1-based timeslot (or port) of DAHDI channel `channo` in the span starting at `basechan`. */
export function spanPosition(basechan: number, channo: number): number {
  return channo - basechan + 1;
}
