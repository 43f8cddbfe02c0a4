/** Public face of DAHDI discovery: other modules import from here only. */
export { discoverDahdi } from './discover';
export type { DiscoverOptions } from './discover';
export { parseProcDahdiSpan } from './proc-dahdi';
export { saveDahdiSnapshot } from './snapshot';
export type { SnapshotResult } from './snapshot';
export type { DahdiAlarm, DahdiChannel, DahdiDevice, DahdiSpan, DahdiSpanCounters, DahdiSpanType, DahdiSystem, HardwareId } from './types';
export { classifyUsbDevice, discoverUsbTelephony, hexId } from './usb-telephony';
export type { AstribankFirmware, UsbTelephonyDevice, UsbTelephonyDiscovery } from './usb-telephony';
export { readUsbSysfs, SysfsUsbPort } from './sysfs-usb';
export type { SysfsUsbDevice } from './sysfs-usb';
