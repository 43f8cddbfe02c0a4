/**
 * Telemetry: MQTT publisher and commands, embedded broker, InfluxDB history, live dashboard.
 * The public face of this layer for `trunkpilot/telemetry` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './broker/bridge-config';
export * from './broker/broker-acl';
export * from './broker/credentials';
export * from './broker/embedded-broker';
export * from './broker/mqtt-packet-guard';
export * from './call-counters';
export * from './campaign-source';
export * from './commands';
export * from './controller-source';
export * from './dahdi-line-status';
export * from './dashboard/dashboard-server';
export * from './errors';
export * from './exposure';
export * from './influx/influx-recorder';
export * from './influx/influx-schema';
export * from './influx/influx-writer';
export * from './influx/line-protocol';
export * from './influx/line-ring';
export * from './mqtt-publisher';
export * from './number-mask';
export * from './occupancy-meter';
export * from './source';
export * from './start-telemetry';
export * from './topics';
export * from './acd-figures';
export * from './home-assistant';
