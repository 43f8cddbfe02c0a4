/**
 * Signal levels for 16-bit linear samples, in dBm0 as ITU-T G.711 and spandsp define
 * them (see g711.ts): one definition for analog, R2 and the simulator alike.
 */
export { DBM0_RMS as DBM0_RMS_16BIT, dbm0ToAmplitude, rmsToDbm0 } from './g711';
