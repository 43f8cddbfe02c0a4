/**
 * The libc calls drivers/dahdi makes, as koffi declarations: the one file that
 * knows the prototypes. Symbols are resolved from the process's global namespace
 * (koffi.load(null) = dlsym(RTLD_DEFAULT)), so a library preloaded ahead of libc
 * (the simulator's libfakedahdi.so) is what the driver calls: the production
 * code path and the simulated one are the same calls.
 *
 * ioctl is variadic in C; each use gets a fixed prototype with its argument
 * type. On x86_64 SysV a call through a fixed prototype passes integer and
 * pointer arguments exactly as the variadic call would.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { NativeLibraryError } from '../../src/core/errors';
import { DahdiBufferinfo, DahdiConfinfo, DahdiGains, DahdiParams, DahdiSpaninfo } from './abi';

export const O_RDWR = 0o2;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;

export interface DahdiParamsValue {
  channo: number;
  spanno: number;
  chanpos: number;
  sigtype: number;
  sigcap: number;
  rxisoffhook: number;
  rxbits: number;
  txbits: number;
  txhooksig: number;
  rxhooksig: number;
  curlaw: number;
  idlebits: number;
  name: string;
  prewinktime: number;
  preflashtime: number;
  winktime: number;
  flashtime: number;
  starttime: number;
  rxwinktime: number;
  rxflashtime: number;
  debouncetime: number;
  pulsebreaktime: number;
  pulsemaketime: number;
  pulseaftertime: number;
  chan_alarms: number;
}

export interface DahdiSpaninfoValue {
  spanno: number;
  name: string;
  desc: string;
  alarms: number;
  txlevel: number;
  rxlevel: number;
  bpvcount: number;
  crc4count: number;
  ebitcount: number;
  fascount: number;
  fecount: number;
  cvcount: number;
  becount: number;
  prbs: number;
  errsec: number;
  irqmisses: number;
  syncsrc: number;
  numchans: number;
  totalchans: number;
  totalspans: number;
  lbo: number;
  lineconfig: number;
  lboname: string;
  location: string;
  manufacturer: string;
  devicetype: string;
  irq: number;
  linecompat: number;
  spantype: string;
}

export interface DahdiBufferinfoValue {
  txbufpolicy: number;
  rxbufpolicy: number;
  numbufs: number;
  bufsize: number;
  readbufs: number;
  writebufs: number;
}

export interface DahdiConfinfoValue {
  chan: number;
  confno: number;
  confmode: number;
}

export interface DahdiGainsValue {
  chan: number;
  rxgain: Uint8Array;
  txgain: Uint8Array;
}

export interface LibC {
  open(path: string, flags: number): number;
  close(fd: number): number;
  read(fd: number, buf: Uint8Array, count: number): number;
  write(fd: number, buf: Uint8Array, count: number): number;
  ioctlInt(fd: number, request: number, arg: [number]): number;
  ioctlParams(fd: number, request: number, arg: DahdiParamsValue): number;
  ioctlSpaninfo(fd: number, request: number, arg: DahdiSpaninfoValue): number;
  ioctlBufinfo(fd: number, request: number, arg: DahdiBufferinfoValue): number;
  ioctlConfinfo(fd: number, request: number, arg: DahdiConfinfoValue): number;
  ioctlGains(fd: number, request: number, arg: DahdiGainsValue): number;
  /** An array of ints in memory (struct dahdi_ring_cadence is int[16]). */
  ioctlInts(fd: number, request: number, arg: Int32Array): number;
}

let cached: LibC | undefined;

export function loadLibC(): LibC {
  if (cached) return cached;
  let g: LibraryHandle;
  try {
    g = koffi.load(null);
  } catch (err) {
    throw new NativeLibraryError('libc (global namespace)', 'libc6', err);
  }
  const f = (decl: string) => g.func(decl);
  cached = {
    open: f('int open(const char *path, int flags)'),
    close: f('int close(int fd)'),
    read: f('long read(int fd, _Out_ uint8_t *buf, size_t count)'),
    write: f('long write(int fd, const uint8_t *buf, size_t count)'),
    ioctlInt: f('int ioctl(int fd, unsigned long request, _Inout_ int *arg)'),
    ioctlParams: g.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer(DahdiParams))]),
    ioctlSpaninfo: g.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer(DahdiSpaninfo))]),
    ioctlBufinfo: g.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer(DahdiBufferinfo))]),
    ioctlConfinfo: g.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer(DahdiConfinfo))]),
    ioctlGains: g.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer(DahdiGains))]),
    ioctlInts: g.func('ioctl', 'int', ['int', 'unsigned long', 'int32_t *']),
  } as unknown as LibC;
  return cached;
}

export function lastErrno(): number {
  return koffi.errno();
}

export const ERRNO = koffi.os.errno as Record<string, number>;
