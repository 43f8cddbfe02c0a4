/**
 * The R2 register signals as tone pairs (ITU-T Q.441). Signal n (1-15) is the
 * n-th pair of the six frequencies taken two at a time in the standard order;
 * forward (groups I and II) and backward (groups A and B) use disjoint bands so
 * neither end hears its own signals as the other's.
 */
export type MfDirection = 'forward' | 'backward';

export const MF_FREQUENCIES: Readonly<Record<MfDirection, readonly number[]>> = {
  forward: [1380, 1500, 1620, 1740, 1860, 1980],
  backward: [1140, 1020, 900, 780, 660, 540],
};

/** Pairs of frequency indices for signals 1..15 (index 0 unused). */
export const SIGNAL_PAIRS: readonly (readonly [number, number])[] = [
  [-1, -1],
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
  [0, 4],
  [1, 4],
  [2, 4],
  [3, 4],
  [0, 5],
  [1, 5],
  [2, 5],
  [3, 5],
  [4, 5],
];

/** Signal number (1-15) for a pair of frequency indices, or 0 when the pair is not a signal. */
export function signalForPair(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  for (let s = 1; s <= 15; s++) if (SIGNAL_PAIRS[s][0] === lo && SIGNAL_PAIRS[s][1] === hi) return s;
  return 0;
}

/** Group I signals 1-10 are the digits 1..9, 0. */
export function digitToSignal(digit: string): number {
  if (digit === '0') return 10;
  const n = digit.charCodeAt(0) - 48;
  return n >= 1 && n <= 9 && digit.length === 1 ? n : 0;
}

export function signalToDigit(signal: number): string | undefined {
  if (signal === 10) return '0';
  return signal >= 1 && signal <= 9 ? String(signal) : undefined;
}

/** Level of each tone of a register signal (Q.454: -11.5 dBm0 nominal; field practice -11). */
export const MF_SEND_LEVEL_DBM0 = -11;
