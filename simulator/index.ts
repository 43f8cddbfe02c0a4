/**
 * The line simulator: callee population, simulated networks and rigs, userspace DAHDI control, virtual trunks for pacing.
 * The public face of this layer for `trunkpilot/simulator` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './analog/exchange-line';
export * from './analog/free-running-clock';
export * from './analog/fxo-rig';
export * from './analog/line-plant';
export * from './analog/ring-detector';
export * from './audio/signals';
export * from './audio/voice';
export * from './call-run';
export * from './callee-population';
export * from './dahdi/fake-dahdi-lib';
export * from './dahdi/faults';
export * from './dahdi/simulated-dahdi';
export * from './fault-schedule';
export * from './modem/gsm-rig';
export * from './modem/mock-serial-wire';
export * from './modem/modem-dialect';
export * from './modem/modem-faults';
export * from './modem/modem-rig';
export * from './modem/pseudo-terminal';
export * from './modem/serial-far-end';
export * from './modem/simulated-modem';
export * from './openr2/openr2-channel';
export * from './openr2/openr2-peer';
export * from './ports/memory-cas-link';
export * from './ports/memory-dchannel';
export * from './ports/memory-pcm-port';
export * from './ports/simulated-media-bridge';
export * from './ports/simulated-voice-player';
export * from './pri/pri-network';
export * from './pri/pri-rig';
export * from './r2/china-exchange';
export * from './r2/line-audio';
export * from './r2/r2-rig';
export * from './r2/spandsp-r2mf';
export * from './r2/virtual-time';
export * from './random';
export * from './rigs';
export * from './sim-rig';
export * from './site/simulated-site';
export * from './soak-run';
export * from './ss7/mtp2-wire';
export * from './ss7/no7-exchange';
export * from './ss7/no7-rig';
export * from './usb/fake-usb-port';
export * from './virtual-trunk/blended-run';
export * from './virtual-trunk/pacing-metrics';
export * from './virtual-trunk/pacing-run';
export * from './virtual-trunk/scenario';
export * from './virtual-trunk/simulated-agent';
export * from './virtual-trunk/simulated-amd';
export * from './virtual-trunk/virtual-network';
export * from './virtual-trunk/virtual-rig';
