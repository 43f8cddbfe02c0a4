/**
 * openr2 1.3.3 (Debian libopenr2-3) as koffi declarations: the one file that
 * knows its prototypes and the layout of openr2_event_interface_t. openr2 opens
 * /dev/dahdi/channel itself, so it runs against whatever DAHDI the process has
 * (a board, or the simulator's preloaded libfakedahdi.so).
 */
import koffi, { type LibraryHandle, type TypeObject } from 'koffi';
import { NativeLibraryError } from '../../src/core/errors';

export type Pointer = bigint;

export const OR2_VARIANT = { china: 40, itu: 100 } as const;

/** openr2_call_disconnect_cause_t */
export const OR2_CAUSE = {
  BUSY_NUMBER: 0,
  NETWORK_CONGESTION: 1,
  UNALLOCATED_NUMBER: 2,
  OUT_OF_ORDER: 3,
  UNSPECIFIED: 4,
  NO_ANSWER: 5,
  NORMAL_CLEARING: 6,
  COLLECT_CALL_REJECTED: 7,
  FORCED_RELEASE: 8,
  NUMBER_CHANGED: 9,
} as const;

export const OR2_CALL_WITH_CHARGE = 0;
export const OR2_CALL_NO_CHARGE = 1;
export const OR2_CATEGORY_NATIONAL_SUBSCRIBER = 0;
export const OR2_LOG_NOTHING = 0;

export interface LibOpenR2 {
  openr2_context_new(
    mflib: null,
    evmgr: Pointer | null,
    transcoder: null,
    variant: number,
    maxAni: number,
    maxDnis: number,
  ): Pointer | null;
  openr2_context_delete(ctx: Pointer): void;
  openr2_context_set_log_level(ctx: Pointer, level: number): void;
  openr2_context_set_skip_category_request(ctx: Pointer, skip: number): void;
  openr2_chan_new(ctx: Pointer, channo: number, mfWrite: null, mfRead: null): Pointer | null;
  openr2_chan_set_log_level(chan: Pointer, level: number): number;
  openr2_chan_set_idle(chan: Pointer): number;
  openr2_chan_process_event(chan: Pointer): number;
  openr2_chan_get_time_to_next_event(chan: Pointer): number;
  openr2_chan_make_call(chan: Pointer, ani: string, dnis: string, category: number): number;
  openr2_chan_accept_call(chan: Pointer, mode: number): number;
  openr2_chan_answer_call(chan: Pointer): number;
  openr2_chan_disconnect_call(chan: Pointer, cause: number): number;
  openr2_chan_get_number(chan: Pointer): number;
  openr2_chan_get_r2_state_string(chan: Pointer): string;
  openr2_chan_get_fd(chan: Pointer): number;
  openr2_chan_get_rx_cas_string(chan: Pointer): string;
  openr2_chan_get_tx_cas_string(chan: Pointer): string;
  openr2_chan_set_blocked(chan: Pointer): number;
}

/** Callback prototypes of openr2_event_interface_t, in field order; the rest stay NULL (openr2 fills in its defaults). */
export interface OpenR2Callbacks {
  onCallInit(chan: Pointer): void;
  onCallOffered(chan: Pointer, ani: string, dnis: string, category: number): void;
  onCallAccepted(chan: Pointer, mode: number): void;
  onCallAnswered(chan: Pointer): void;
  onCallDisconnect(chan: Pointer, cause: number): void;
  onCallEnd(chan: Pointer): void;
  onProtocolError(chan: Pointer, error: number): void;
  onLineBlocked(chan: Pointer): void;
  onLineIdle(chan: Pointer): void;
  onDnisDigit(chan: Pointer, digit: number): number;
}

interface Types {
  evmgr: TypeObject;
  protos: Record<keyof OpenR2Callbacks, TypeObject>;
}

let lib: LibOpenR2 | undefined;
let types: Types | undefined;

export function loadOpenR2(): { lib: LibOpenR2; types: Types } {
  if (lib && types) return { lib, types };
  let h: LibraryHandle;
  try {
    h = koffi.load('libopenr2.so.3');
  } catch (err) {
    throw new NativeLibraryError('libopenr2.so.3', 'libopenr2-3', err);
  }
  const f = (d: string) => h.func(d);
  lib = {
    openr2_context_new: f('void *openr2_context_new(void *mflib, void *evmgr, void *transcoder, int variant, int max_ani, int max_dnis)'),
    openr2_context_delete: f('void openr2_context_delete(void *ctx)'),
    openr2_context_set_log_level: f('void openr2_context_set_log_level(void *ctx, int level)'),
    openr2_context_set_skip_category_request: f('void openr2_context_set_skip_category_request(void *ctx, int skip)'),
    openr2_chan_new: f('void *openr2_chan_new(void *ctx, int channo, void *mf_write, void *mf_read)'),
    openr2_chan_set_log_level: f('int openr2_chan_set_log_level(void *chan, int level)'),
    openr2_chan_set_idle: f('int openr2_chan_set_idle(void *chan)'),
    openr2_chan_process_event: f('int openr2_chan_process_event(void *chan)'),
    openr2_chan_get_time_to_next_event: f('int openr2_chan_get_time_to_next_event(void *chan)'),
    openr2_chan_make_call: f('int openr2_chan_make_call(void *chan, const char *ani, const char *dnis, int category)'),
    openr2_chan_accept_call: f('int openr2_chan_accept_call(void *chan, int mode)'),
    openr2_chan_answer_call: f('int openr2_chan_answer_call(void *chan)'),
    openr2_chan_disconnect_call: f('int openr2_chan_disconnect_call(void *chan, int cause)'),
    openr2_chan_get_number: f('int openr2_chan_get_number(void *chan)'),
    openr2_chan_get_r2_state_string: f('const char *openr2_chan_get_r2_state_string(void *chan)'),
    openr2_chan_get_fd: f('int openr2_chan_get_fd(void *chan)'),
    openr2_chan_get_rx_cas_string: f('const char *openr2_chan_get_rx_cas_string(void *chan)'),
    openr2_chan_get_tx_cas_string: f('const char *openr2_chan_get_tx_cas_string(void *chan)'),
    openr2_chan_set_blocked: f('int openr2_chan_set_blocked(void *chan)'),
  } as unknown as LibOpenR2;
  // Anonymous prototypes: jest may load this module twice in one process, and koffi keeps names per process.
  const proto = (decl: string) => koffi.pointer(koffi.proto(decl));
  types = {
    protos: {
      onCallInit: proto('void (void *chan)'),
      onCallOffered: proto('void (void *chan, const char *ani, const char *dnis, int category)'),
      onCallAccepted: proto('void (void *chan, int mode)'),
      onCallAnswered: proto('void (void *chan)'),
      onCallDisconnect: proto('void (void *chan, int cause)'),
      onCallEnd: proto('void (void *chan)'),
      onProtocolError: proto('void (void *chan, int error)'),
      onLineBlocked: proto('void (void *chan)'),
      onLineIdle: proto('void (void *chan)'),
      onDnisDigit: proto('int (void *chan, char digit)'),
    },
    // openr2_event_interface_t: 16 function pointers.
    evmgr: koffi.struct({
      on_call_init: 'void *',
      on_call_offered: 'void *',
      on_call_accepted: 'void *',
      on_call_answered: 'void *',
      on_call_disconnect: 'void *',
      on_call_end: 'void *',
      on_call_read: 'void *',
      on_hardware_alarm: 'void *',
      on_os_error: 'void *',
      on_protocol_error: 'void *',
      on_line_blocked: 'void *',
      on_line_idle: 'void *',
      on_context_log: 'void *',
      on_dnis_digit_received: 'void *',
      on_ani_digit_received: 'void *',
      on_billing_pulse_received: 'void *',
    }),
  };
  return { lib, types };
}
