/**
 * trunkpilot as a library: what an application embedding the controller uses.
 * Everything here is also what the CLI itself is built from.
 */
export * from './core/clock';
export * from './core/errors';
export * from './core/logger';
export * from './core/q850';
export * from './core/call-events';
export { StateMachine, type TransitionTable, type HistoryEntry } from './core/state-machine';
export { Channel, type ChannelState, type ChannelEvent, CHANNEL_TRANSITIONS } from './channels/channel';
export { Span, type SpanOptions, type ChannelCounts } from './controller/span';
export { TrunkCall, type CallRelease, type CallSettlement } from './controller/trunk-call';
export { TrunkGroup, type Dialer, type DialRequest, type DialResult } from './controller/trunk-group';
export type { SpanSignalling, SignallingEvent, SignallingCall, SignallingKind, OutboundSetup } from './signalling/span-signalling';
export { PriSpanSignalling } from './signalling/pri/pri-span-signalling';
export * from './core/timeslots';
export { PriInstance, type PriRole, type PriInstanceOptions } from '../drivers/libpri/pri-instance';
export type { DChannelTransport } from '../drivers/ports/signalling-link';
export { LapdPcapWriter } from './capture/pcap-writer';
