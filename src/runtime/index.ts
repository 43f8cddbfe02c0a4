/**
 * The gateway: a provisioned site opened from one composition root (trunks, seats,
 * campaign store, pacing, telemetry).
 * The public face of this layer for `trunkpilot/runtime` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './campaign-export';
export * from './campaign-file';
export * from './campaign-lifecycle';
export * from './campaign-registry';
export * from './campaign-spec-settings';
export * from './live-campaign';
export * from './command-client';
export * from './gateway-operations';
export * from './gateway';
export * from './run-progress';
export * from './site-seats';
export * from './site-simulator';
export * from './site-telemetry';
export * from './seat-keypad';
export * from './site-inbound';
