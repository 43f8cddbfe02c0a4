/**
 * DAHDI's user ABI on x86_64 Linux: struct layouts (as anonymous koffi types: jest
 * re-evaluates modules per test file while koffi keeps type names per process) and the one
 * table of ioctl numbers, each derived the way <dahdi/user.h> derives it, from
 * Linux's _IOC(direction, 0xDA, nr, sizeof(argument)). dahdi-abi.test.ts checks
 * every number and every layout against the header with a compiled C program.
 */
import koffi, { type TypeObject } from 'koffi';

export const DAHDI_CODE = 0xda;

// Linux asm-generic/ioctl.h: nr 8 bits, type 8 bits, size 14 bits, direction 2 bits.
const IOC_NONE = 0;
const IOC_WRITE = 1;
const IOC_READ = 2;

function ioc(dir: number, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (DAHDI_CODE << 8) | nr) >>> 0;
}
export const io = (nr: number): number => ioc(IOC_NONE, nr, 0);
export const ior = (nr: number, size: number): number => ioc(IOC_READ, nr, size);
export const iow = (nr: number, size: number): number => ioc(IOC_WRITE, nr, size);
export const iowr = (nr: number, size: number): number => ioc(IOC_READ | IOC_WRITE, nr, size);

export const DahdiParams = koffi.struct({
  channo: 'int',
  spanno: 'int',
  chanpos: 'int',
  sigtype: 'int',
  sigcap: 'int',
  rxisoffhook: 'int',
  rxbits: 'int',
  txbits: 'int',
  txhooksig: 'int',
  rxhooksig: 'int',
  curlaw: 'int',
  idlebits: 'int',
  name: 'char[40]',
  prewinktime: 'int',
  preflashtime: 'int',
  winktime: 'int',
  flashtime: 'int',
  starttime: 'int',
  rxwinktime: 'int',
  rxflashtime: 'int',
  debouncetime: 'int',
  pulsebreaktime: 'int',
  pulsemaketime: 'int',
  pulseaftertime: 'int',
  chan_alarms: 'uint32',
});

/** Packed in the header (`__attribute__((packed))`): 314 bytes. */
export const DahdiSpaninfo = koffi.pack({
  spanno: 'int',
  name: 'char[20]',
  desc: 'char[40]',
  alarms: 'int',
  txlevel: 'int',
  rxlevel: 'int',
  bpvcount: 'int',
  crc4count: 'int',
  ebitcount: 'int',
  fascount: 'int',
  fecount: 'uint32',
  cvcount: 'uint32',
  becount: 'uint32',
  prbs: 'uint32',
  errsec: 'uint32',
  irqmisses: 'int',
  syncsrc: 'int',
  numchans: 'int',
  totalchans: 'int',
  totalspans: 'int',
  lbo: 'int',
  lineconfig: 'int',
  lboname: 'char[40]',
  location: 'char[40]',
  manufacturer: 'char[40]',
  devicetype: 'char[40]',
  irq: 'int',
  linecompat: 'int',
  spantype: 'char[6]',
});

export const DahdiBufferinfo = koffi.struct({
  txbufpolicy: 'int',
  rxbufpolicy: 'int',
  numbufs: 'int',
  bufsize: 'int',
  readbufs: 'int',
  writebufs: 'int',
});

export const DahdiConfinfo = koffi.struct({
  chan: 'int',
  confno: 'int',
  confmode: 'int',
});

export const DahdiGains = koffi.struct({
  chan: 'int',
  rxgain: koffi.array('uint8', 256, 'Typed'),
  txgain: koffi.array('uint8', 256, 'Typed'),
});

const INT = 4;
const size = (t: TypeObject): number => koffi.sizeof(t);

/** The ioctls drivers/dahdi uses, by their <dahdi/user.h> names (without the DAHDI_ prefix). */
export const DAHDI_IOCTL = {
  GET_BLOCKSIZE: ior(1, INT),
  SET_BLOCKSIZE: iow(1, INT),
  FLUSH: iow(3, INT),
  GET_PARAMS: iowr(5, size(DahdiParams)),
  SET_PARAMS: iow(5, size(DahdiParams)),
  HOOK: iow(7, INT),
  GETEVENT: ior(8, INT),
  IOMUX: iowr(9, INT),
  SPANSTAT: iowr(10, size(DahdiSpaninfo)),
  GETCONF: iowr(12, size(DahdiConfinfo)),
  SETCONF: iowr(13, size(DahdiConfinfo)),
  GETGAINS: iowr(16, size(DahdiGains)),
  SETGAINS: iow(16, size(DahdiGains)),
  GET_BUFINFO: ior(27, size(DahdiBufferinfo)),
  SET_BUFINFO: iow(27, size(DahdiBufferinfo)),
  AUDIOMODE: iow(32, INT),
  ECHOCANCEL: iow(33, INT),
  CHANNO: ior(34, INT),
  SPECIFY: iow(38, INT),
  SETLAW: iow(39, INT),
  SETLINEAR: iow(40, INT),
  GETRXBITS: ior(43, INT),
  SETTXBITS: iow(43, INT),
  GETVERSION: ior(57, 160),
  SETPOLARITY: iow(92, INT),
  /** struct dahdi_ring_cadence: int ringcadence[DAHDI_MAX_CADENCE = 16]. */
  SETCADENCE: iow(42, 16 * INT),
} as const;

export type DahdiIoctlName = keyof typeof DAHDI_IOCTL;

/** Constants from <dahdi/user.h> the driver needs. */
export const DAHDI = {
  ELAST: 500,
  LAW_DEFAULT: 0,
  LAW_MULAW: 1,
  LAW_ALAW: 2,
  ONHOOK: 0,
  OFFHOOK: 1,
  WINK: 2,
  FLASH: 3,
  START: 4,
  RING: 5,
  RINGOFF: 6,
  FLUSH_READ: 1,
  FLUSH_WRITE: 2,
  FLUSH_EVENT: 4,
  FLUSH_ALL: 7,
  POLICY_IMMEDIATE: 0,
  IOMUX_READ: 1,
  IOMUX_WRITE: 2,
  IOMUX_WRITEEMPTY: 4,
  IOMUX_SIGEVENT: 8,
  IOMUX_NOWAIT: 0x100,
  ABIT: 8,
  BBIT: 4,
  CBIT: 2,
  DBIT: 1,
  CONF_NORMAL: 0,
  CONF_MONITOR: 1,
  CONF_MONITORTX: 2,
  CONF_MONITORBOTH: 3,
  CONF_CONF: 4,
  CONF_LISTENER: 0x100,
  CONF_TALKER: 0x200,
  SIG_NONE: 0,
  SIG_FXSLS: 0x2001,
  SIG_FXSGS: 0x2002,
  SIG_FXSKS: 0x2004,
  SIG_FXOLS: 0x1008,
  SIG_FXOGS: 0x1010,
  SIG_FXOKS: 0x1020,
  SIG_CLEAR: 0x80,
  SIG_HDLCRAW: 0x180,
  SIG_HDLCFCS: 0x380,
  SIG_CAS: 0x8000,
  SIG_HARDHDLC: 0x80080,
  ALARM_RECOVER: 1,
  ALARM_LOOPBACK: 2,
  ALARM_YELLOW: 4,
  ALARM_RED: 8,
  ALARM_BLUE: 16,
  ALARM_NOTOPEN: 32,
  ALARM_LOS: 0x100,
  ALARM_LFA: 0x200,
  ALARM_LMFA: 0x400,
  CONFIG_CCS: 0x100,
  CONFIG_HDB3: 0x200,
  CONFIG_CRC4: 0x400,
  DEFAULT_BLOCKSIZE: 1024,
  MAX_BLOCKSIZE: 8192,
  MAX_NUM_BUFS: 32,
} as const;
