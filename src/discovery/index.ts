/** Public face of DAHDI discovery: other modules import from here only. */
export { discoverDahdi } from './discover';
export type { DiscoverOptions } from './discover';
export { parseProcDahdiSpan } from './proc-dahdi';
export { saveDahdiSnapshot } from './snapshot';
export type { SnapshotResult } from './snapshot';
export type {
  DahdiAlarm,
  DahdiChannel,
  DahdiDevice,
  DahdiSpan,
  DahdiSpanCounters,
  DahdiSpanType,
  DahdiSystem,
  HardwareId,
} from './types';
