/**
 * Hardware surfaces: the port interfaces (drivers/ports) and their DAHDI, libpri, openr2, spandsp and SQLite implementations.
 * The public face of this layer for `trunkpilot/drivers` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './dahdi/dahdi-analog-port';
export * from './dahdi/dahdi-cas-port';
export * from './dahdi/dahdi-channel-lender';
export * from './dahdi/dahdi-channel-resolver';
export * from './dahdi/dahdi-channel';
export * from './dahdi/dahdi-control';
export * from './dahdi/dahdi-dchannel';
export * from './dahdi/dahdi-media-bridge';
export * from './dahdi/errors';
export * from './dahdi/events';
export * from './dahdi/span-alarms';
export * from './dahdi/span-monitor';
export * from './libpri/pri-events';
export * from './libpri/pri-instance';
export * from './modem/at-command-queue';
export * from './modem/at-final-result';
export * from './modem/at-line-reader';
export * from './modem/at-modem';
export * from './modem/at-reports';
export * from './modem/errors';
export * from './modem/modem-identity';
export * from './modem/modem-profiles';
export * from './modem/serial-pcm-voice';
export * from './ports/analog-port';
export * from './ports/cas-port';
export * from './ports/frame-inbox';
export * from './ports/media-port';
export * from './ports/pcm-voice-port';
export * from './ports/serial-line-port';
export * from './ports/signalling-link';
export * from './ports/usb-port';
export * from './ports/voice-port';
export * from './serial/binding-serial-line';
export * from './serial/errors';
export * from './spandsp/adsi';
export * from './spandsp/dtmf';
export * from './spandsp/live-states';
export * from './usb/webusb-port';
export * from './dahdi/dahdi-channel-audio';
export * from './dahdi/dahdi-seat-phone';
export * from './dahdi/dahdi-trunk-patch';
export * from './ports/channel-audio-port';
export * from './ports/seat-phone-port';
export * from './libpri/time-hook';
export * from './modem/usb-audio-voice';
