/**
 * Signalling modules: PRI over libpri, China No.1 (MFC/R2), analog FXO loop start, and the SpanSignalling seam they share.
 * The public face of this layer for `trunkpilot/signalling` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './fxo/caller-id-listener';
export * from './fxo/caller-id';
export * from './fxo/fxo-line-states';
export * from './fxo/fxo-line';
export * from './fxo/fxo-span-signalling';
export * from './fxo/ring-cadence';
export * from './gsm/modem-call';
export * from './gsm/modem-hotplug';
export * from './gsm/modem-span-signalling';
export * from './pri/pri-call-table';
export * from './pri/pri-span-signalling';
// Moved to src/core (libpri's driver is fed time by it too); still public here.
export * from '../core/deadline-feeder';
export * from './r2/line-signalling';
export * from './r2/mf-detector';
export * from './r2/mf-generator';
export * from './r2/mf-tones';
export * from './r2/r2-channel';
export * from './r2/r2-errors';
export * from './r2/r2-span-signalling';
export * from './r2/register-backward';
export * from './r2/register-forward';
export * from './r2/trace';
export * from './r2/variants';
export * from './span-signalling';
export * from './ss7/isup/isup-circuit';
export * from './ss7/isup/isup-engine';
export * from './ss7/isup/isup-messages';
export * from './ss7/isup/isup-params';
export * from './ss7/mtp2/error-correction';
export * from './ss7/mtp2/mtp2-hdlc-link';
export * from './ss7/mtp2/mtp2-link';
export * from './ss7/mtp2/mtp2-service';
export * from './ss7/mtp2/signal-unit';
export * from './ss7/mtp3/mtp3-node';
export * from './ss7/mtp3/network-management';
export * from './ss7/mtp3/routing-label';
export * from './ss7/no7-span-signalling';
export * from './ss7/no7-stack';
export * from './ss7/ss7-errors';
export * from './ss7/tup/tup-causes';
export * from './ss7/tup/tup-circuit';
export * from './ss7/tup/tup-engine';
export * from './ss7/tup/tup-messages';
export * from './ss7/user-part';
export * from './inband/inband-analysing-signalling';
export * from './gsm/sim-call-ledger';
export * from './gsm/sim-day-count';
