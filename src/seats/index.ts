/**
 * Seats, answer groups, the seat distributor, supervisors and the media bridges (simulated, DAHDI conferences).
 * The public face of this layer for `trunkpilot/seats` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './answer-group';
export * from './phone-ring';
export * from './remote-agent';
export * from './seat-distributor';
export * from './seat';
export * from './seat-answering';
export * from './seat-phone';
export * from './software-media-bridge';
export * from './supervisor';
export * from './channel-pcm-port';
export * from './pcm-trunk-media-bridge';
