/**
 * The control API of native/fakedahdi (libfakedahdi.so), bound with koffi: the
 * one file that knows its prototypes. The library must already be in the process
 * ahead of libc (LD_PRELOAD): its functions are then found in the global
 * namespace, the same copy whose open/ioctl/read/write/poll the driver calls.
 * Loading it a second time by path could give a second, separate line model.
 */
import * as fs from 'fs';
import * as path from 'path';
import koffi from 'koffi';
import { NativeLibraryError } from '../../src/core/errors';

export interface FakeDahdiLib {
  fakedahdi_present(): number;
  fakedahdi_reset(): number;
  fakedahdi_add_span(kind: number, nports: number, name: string): number;
  fakedahdi_span_info(spanno: number, which: number): number;
  fakedahdi_connect_spans(a: number, b: number): number;
  fakedahdi_connect_channels(a: number, b: number): number;
  fakedahdi_set_line(spanno: number, flags: number): number;
  fakedahdi_add_errors(spanno: number, bpv: number, crc4: number, ebit: number, fas: number): number;
  fakedahdi_slip(spanno: number, n: number): number;
  fakedahdi_corrupt_frames(spanno: number, n: number): number;
  fakedahdi_tick(samples: number): number;
  fakedahdi_chan_info(channo: number, which: number): number;
  fakedahdi_chan_config(channo: number, sigtype: number, idlebits: number): number;
  fakedahdi_far_set_bits(channo: number, bits: number): number;
  fakedahdi_far_hook(channo: number, offhook: number): number;
  fakedahdi_far_ring(channo: number, on: number): number;
  fakedahdi_far_polarity(channo: number): number;
  fakedahdi_far_battery(channo: number, on: number): number;
  fakedahdi_far_write_audio(channo: number, buf: Uint8Array, n: number): number;
  fakedahdi_far_read_audio(channo: number, buf: Uint8Array, n: number): number;
  fakedahdi_far_send_frame(channo: number, buf: Uint8Array, n: number): number;
  fakedahdi_far_recv_frame(channo: number, buf: Uint8Array, n: number): number;
}

const PROTOTYPES = [
  'int fakedahdi_present()',
  'int fakedahdi_reset()',
  'int fakedahdi_add_span(int kind, int nports, const char *name)',
  'int fakedahdi_span_info(int spanno, int which)',
  'int fakedahdi_connect_spans(int a, int b)',
  'int fakedahdi_connect_channels(int a, int b)',
  'int fakedahdi_set_line(int spanno, int flags)',
  'int fakedahdi_add_errors(int spanno, int bpv, int crc4, int ebit, int fas)',
  'int fakedahdi_slip(int spanno, int n)',
  'int fakedahdi_corrupt_frames(int spanno, int n)',
  'int fakedahdi_tick(int samples)',
  'int fakedahdi_chan_info(int channo, int which)',
  'int fakedahdi_chan_config(int channo, int sigtype, int idlebits)',
  'int fakedahdi_far_set_bits(int channo, int bits)',
  'int fakedahdi_far_hook(int channo, int offhook)',
  'int fakedahdi_far_ring(int channo, int on)',
  'int fakedahdi_far_polarity(int channo)',
  'int fakedahdi_far_battery(int channo, int on)',
  'int fakedahdi_far_write_audio(int channo, const uint8_t *buf, int n)',
  'int fakedahdi_far_read_audio(int channo, _Out_ uint8_t *buf, int n)',
  'int fakedahdi_far_send_frame(int channo, const uint8_t *buf, int n)',
  'int fakedahdi_far_recv_frame(int channo, _Out_ uint8_t *buf, int n)',
];

/** Where scripts/setup builds the library (override with TRUNKPILOT_FAKEDAHDI). */
export function fakeDahdiLibraryPath(): string {
  if (process.env.TRUNKPILOT_FAKEDAHDI) return path.resolve(process.env.TRUNKPILOT_FAKEDAHDI);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'build', 'libfakedahdi.so');
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, 'package.json')) || path.dirname(dir) === dir) return candidate;
  }
}

let cached: FakeDahdiLib | null | undefined;

/** The control API if libfakedahdi.so interposes in this process, else null. */
export function preloadedFakeDahdi(): FakeDahdiLib | null {
  if (cached !== undefined) return cached;
  const global = koffi.load(null);
  try {
    global.func('int fakedahdi_present()');
  } catch {
    cached = null;
    return cached;
  }
  cached = Object.fromEntries(PROTOTYPES.map((decl) => {
    const fn = global.func(decl);
    return [decl.match(/(fakedahdi_\w+)\(/)![1], fn];
  })) as unknown as FakeDahdiLib;
  return cached;
}

export function requireFakeDahdi(): FakeDahdiLib {
  const lib = preloadedFakeDahdi();
  if (!lib) {
    throw new NativeLibraryError('libfakedahdi.so', 'dahdi-linux', `it is not preloaded in this process: build it with scripts/setup, then start the process with LD_PRELOAD=${fakeDahdiLibraryPath()}`);
  }
  return lib;
}
