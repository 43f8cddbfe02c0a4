import { DBM0_RMS } from './g711';

/**
 * Signal levels for 16-bit linear samples, in dBm0 as ITU-T G.711 and spandsp define
 * them: a 0 dBm0 sine sits 3.14 dB below the A-law peak, RMS about 16,140 on the
 * 16-bit scale that decodeAlaw produces (spandsp's own dtmf_tx at -10 dBm0 per tone
 * measures 5,118 RMS per tone here).
 *
 * g711.ts's DBM0_RMS (2017.6) is that level on A-law's 13-bit scale; applied to 16-bit
 * samples it reads 18 dB low. Until that is settled there, analog code uses these.
 */
export const DBM0_RMS_16BIT = DBM0_RMS * 8;

export function rmsToDbm0(rms: number): number {
  return 20 * Math.log10(Math.max(rms, 1e-9) / DBM0_RMS_16BIT);
}

/** Peak amplitude (16-bit scale) of a sine at `dbm0`. */
export function dbm0ToAmplitude(dbm0: number): number {
  return DBM0_RMS_16BIT * Math.SQRT2 * Math.pow(10, dbm0 / 20);
}
