/**
 * libpri's C API as koffi declarations: the one file that knows the prototypes.
 * Pointers are BigInt (koffi 3); `struct pri *` and `q931_call *` stay opaque.
 */
import { type TypeObject } from 'koffi';
import { openNativeLibrary, protoOnce } from '../native-library';

export const PRI_NETWORK = 1;
export const PRI_CPE = 2;
export const PRI_SWITCH_EUROISDN_E1 = 5;

export const PRI_EVENT = {
  DCHAN_UP: 1,
  DCHAN_DOWN: 2,
  RESTART: 3,
  CONFIG_ERR: 4,
  RING: 5,
  HANGUP: 6,
  RINGING: 7,
  ANSWER: 8,
  HANGUP_ACK: 9,
  RESTART_ACK: 10,
  FACILITY: 11,
  INFO_RECEIVED: 12,
  PROCEEDING: 13,
  SETUP_ACK: 14,
  HANGUP_REQ: 15,
  NOTIFY: 16,
  PROGRESS: 17,
  KEYPAD_DIGIT: 18,
  CONNECT_ACK: 27,
} as const;

export const PRI_TRANS_CAP_SPEECH = 0x0;
export const PRI_LAYER_1_ALAW = 0x23;
export const PRI_UNKNOWN_PLAN = 0x0;
export const PRES_ALLOWED_USER_NUMBER_NOT_SCREENED = 0x00;
export const PRI_PROG_INBAND_AVAILABLE = 1 << 3;

export type Pointer = bigint;

export interface LibPri {
  pri_new_cb(fd: number, nodetype: number, switchtype: number, read: Pointer, write: Pointer, userdata: Pointer | null): Pointer | null;
  pri_check_event(pri: Pointer): Pointer | null;
  pri_schedule_next(pri: Pointer): Pointer | null;
  pri_schedule_run(pri: Pointer): Pointer | null;
  pri_new_call(pri: Pointer): Pointer | null;
  pri_sr_new(): Pointer | null;
  pri_sr_free(sr: Pointer): void;
  pri_sr_set_channel(sr: Pointer, channel: number, exclusive: number, nonisdn: number): number;
  pri_sr_set_bearer(sr: Pointer, transmode: number, userl1: number): number;
  pri_sr_set_called(sr: Pointer, called: string, plan: number, complete: number): number;
  pri_sr_set_caller(sr: Pointer, caller: string | null, name: string | null, plan: number, pres: number): number;
  pri_setup(pri: Pointer, call: Pointer, sr: Pointer): number;
  pri_proceeding(pri: Pointer, call: Pointer, channel: number, info: number): number;
  pri_acknowledge(pri: Pointer, call: Pointer, channel: number, info: number): number;
  pri_progress(pri: Pointer, call: Pointer, channel: number, info: number): number;
  pri_answer(pri: Pointer, call: Pointer, channel: number, nonisdn: number): number;
  pri_hangup(pri: Pointer, call: Pointer, cause: number): number;
  pri_reset(pri: Pointer, channel: number): number;
  pri_destroycall(pri: Pointer, call: Pointer): void;
  pri_set_timer(pri: Pointer, timer: number, value: number): number;
  /** Index of a timer by its name ("T203"), or -1. */
  pri_timer2idx(name: string): number;
  pri_set_debug(pri: Pointer, debug: number): void;
  pri_set_message(fn: Pointer | null): void;
  pri_set_error(fn: Pointer | null): void;
  pri_cause2str(cause: number): string;
}

const LIBRARY_NAMES = ['libpri.so.1.4', 'libpri.so'];
/** How the loaded library's file name starts, whichever of LIBRARY_NAMES loaded (the time hook finds it by it). */
export const LIBPRI_FILE_PREFIX = 'libpri.so';

let cached: { lib: LibPri; ioCb: TypeObject; logCb: TypeObject } | undefined;

/** Loads libpri once per process. Throws NativeLibraryError naming the package. */
export function loadLibPri(): { lib: LibPri; ioCb: TypeObject; logCb: TypeObject } {
  if (cached) return cached;
  const handle = openNativeLibrary('libpri', LIBRARY_NAMES, 'libpri1.4');

  const ioCb = protoOnce('pri_io_cb', 'int pri_io_cb(void *pri, void *buf, int buflen)');
  const logCb = protoOnce('pri_log_cb', 'void pri_log_cb(void *pri, const char *msg)');
  const f = (decl: string) => handle.func(decl);
  const lib: LibPri = {
    pri_new_cb: f('void *pri_new_cb(int fd, int nodetype, int switchtype, pri_io_cb *io_read, pri_io_cb *io_write, void *userdata)'),
    pri_check_event: f('void *pri_check_event(void *pri)'),
    pri_schedule_next: f('void *pri_schedule_next(void *pri)'),
    pri_schedule_run: f('void *pri_schedule_run(void *pri)'),
    pri_new_call: f('void *pri_new_call(void *pri)'),
    pri_sr_new: f('void *pri_sr_new()'),
    pri_sr_free: f('void pri_sr_free(void *sr)'),
    pri_sr_set_channel: f('int pri_sr_set_channel(void *sr, int channel, int exclusive, int nonisdn)'),
    pri_sr_set_bearer: f('int pri_sr_set_bearer(void *sr, int transmode, int userl1)'),
    pri_sr_set_called: f('int pri_sr_set_called(void *sr, const char *called, int calledplan, int complete)'),
    pri_sr_set_caller: f('int pri_sr_set_caller(void *sr, const char *caller, const char *callername, int callerplan, int callerpres)'),
    pri_setup: f('int pri_setup(void *pri, void *call, void *sr)'),
    pri_proceeding: f('int pri_proceeding(void *pri, void *call, int channel, int info)'),
    pri_acknowledge: f('int pri_acknowledge(void *pri, void *call, int channel, int info)'),
    pri_progress: f('int pri_progress(void *pri, void *call, int channel, int info)'),
    pri_answer: f('int pri_answer(void *pri, void *call, int channel, int nonisdn)'),
    pri_hangup: f('int pri_hangup(void *pri, void *call, int cause)'),
    pri_reset: f('int pri_reset(void *pri, int channel)'),
    pri_destroycall: f('void pri_destroycall(void *pri, void *call)'),
    pri_set_timer: f('int pri_set_timer(void *pri, int timer, int value)'),
    pri_timer2idx: f('int pri_timer2idx(const char *name)'),
    pri_set_debug: f('void pri_set_debug(void *pri, int debug)'),
    pri_set_message: f('void pri_set_message(pri_log_cb *fn)'),
    pri_set_error: f('void pri_set_error(pri_log_cb *fn)'),
    pri_cause2str: f('const char *pri_cause2str(int cause)'),
  } as unknown as LibPri;
  cached = { lib, ioCb, logCb };
  return cached;
}
