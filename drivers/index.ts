/**
 * Native and device bindings: DAHDI, libpri, openr2, spandsp, SQLite, and the D-channel transports.
 * The public face of this layer for `trunkpilot/drivers` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './dahdi/dahdi-channel';
export * from './dahdi/dahdi-control';
export * from './dahdi/dahdi-dchannel';
export * from './dahdi/errors';
export * from './dahdi/events';
export * from './dahdi/span-alarms';
export * from './dahdi/span-monitor';
export * from './libpri/pri-events';
export * from './libpri/pri-instance';
export * from './openr2/openr2-peer';
export * from './spandsp/adsi';
export * from './spandsp/dtmf';
export * from './spandsp/r2mf-ffi';
export * from './spandsp/spandsp-r2mf';
export * from './sqlite/sqlite-db';
export * from './transport/dchannel';
export * from './transport/frame-inbox';
export * from './transport/memory-dchannel';
