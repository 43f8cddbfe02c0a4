/**
 * libspandsp's C API as koffi declarations: the one file that knows the prototypes
 * this project uses (DTMF receive/transmit, ADSI caller-ID receive/transmit, and
 * the MFC/R2 tone receiver and generator the R2 accuracy bench compares against).
 * Every state struct stays opaque: we pass NULL to the *_init functions so the
 * library allocates, and free with the matching *_free. No struct is decoded here.
 */
import { type TypeObject } from 'koffi';
import { openNativeLibrary, protoOnce } from '../native-library';

export type Pointer = bigint;

/** adsi.h `ADSI_STANDARD_*`. CLASS is Bell 202 FSK (1200/2200 Hz), the form China's YDN 069 uses. */
export const ADSI_STANDARD = { NONE: 0, CLASS: 1, CLIP: 2, ACLIP: 3, JCLIP: 4, CLIP_DTMF: 5, TDD: 6 } as const;

export interface LibSpanDsp {
  dtmf_rx_init(s: null, callback: null, userData: null): Pointer | null;
  dtmf_rx_parms(s: Pointer, filterDialtone: number, twist: number, reverseTwist: number, threshold: number): void;
  dtmf_rx(s: Pointer, amp: Int16Array, samples: number): number;
  dtmf_rx_get(s: Pointer, digits: Uint8Array, max: number): number | bigint;
  dtmf_rx_free(s: Pointer): number;

  dtmf_tx_init(s: null): Pointer | null;
  dtmf_tx_set_level(s: Pointer, level: number, twist: number): void;
  dtmf_tx_set_timing(s: Pointer, onTime: number, offTime: number): void;
  dtmf_tx_put(s: Pointer, digits: string, len: number): number;
  dtmf_tx(s: Pointer, amp: Int16Array, maxSamples: number): number;
  dtmf_tx_free(s: Pointer): number;

  adsi_rx_init(s: null, standard: number, putMsg: Pointer, userData: Pointer | null): Pointer | null;
  adsi_rx(s: Pointer, amp: Int16Array, len: number): number;
  adsi_rx_free(s: Pointer): number;

  adsi_tx_init(s: null, standard: number): Pointer | null;
  adsi_tx_put_message(s: Pointer, msg: Uint8Array, len: number): number;
  adsi_tx(s: Pointer, amp: Int16Array, maxLen: number): number;
  adsi_tx_free(s: Pointer): number;

  /** callback may be NULL: then poll r2_mf_rx_get(). fwd=1 hears forward (group I/II) signals. */
  r2_mf_rx_init(s: Pointer | null, fwd: number, callback: Pointer | null, userData: Pointer | null): Pointer | null;
  r2_mf_rx(s: Pointer, amp: Int16Array, samples: number): number;
  /** The digit currently present ('1'-'9', '0', then 'B'-'F' for signals 11-15), or 0. */
  r2_mf_rx_get(s: Pointer): number;
  r2_mf_rx_free(s: Pointer): number;
  r2_mf_tx_init(s: Pointer | null, fwd: number): Pointer | null;
  r2_mf_tx(s: Pointer, amp: Int16Array, samples: number): number;
  r2_mf_tx_put(s: Pointer, digit: number): number;
  r2_mf_tx_free(s: Pointer): number;
}

export interface SpanDspBinding {
  lib: LibSpanDsp;
  /** `void put_msg(void *user_data, const uint8_t *msg, int len)` (async.h put_msg_func_t). */
  putMsgCb: TypeObject;
}

const LIBRARY_NAMES = ['libspandsp.so.2', 'libspandsp.so'];
let cached: SpanDspBinding | undefined;

/** Loads libspandsp once per process. Throws NativeLibraryError naming the package. */
export function loadSpanDsp(): SpanDspBinding {
  if (cached) return cached;
  const handle = openNativeLibrary('libspandsp', LIBRARY_NAMES, 'libspandsp2');

  const putMsgCb = protoOnce('spandsp_put_msg_cb', 'void spandsp_put_msg_cb(void *user_data, const uint8_t *msg, int len)');
  const f = (decl: string) => handle.func(decl);
  const lib: LibSpanDsp = {
    dtmf_rx_init: f('void *dtmf_rx_init(void *s, void *callback, void *user_data)'),
    dtmf_rx_parms: f('void dtmf_rx_parms(void *s, int filter_dialtone, int twist, int reverse_twist, int threshold)'),
    dtmf_rx: f('int dtmf_rx(void *s, const int16_t *amp, int samples)'),
    dtmf_rx_get: f('size_t dtmf_rx_get(void *s, _Out_ uint8_t *digits, int max)'),
    dtmf_rx_free: f('int dtmf_rx_free(void *s)'),

    dtmf_tx_init: f('void *dtmf_tx_init(void *s)'),
    dtmf_tx_set_level: f('void dtmf_tx_set_level(void *s, int level, int twist)'),
    dtmf_tx_set_timing: f('void dtmf_tx_set_timing(void *s, int on_time, int off_time)'),
    dtmf_tx_put: f('int dtmf_tx_put(void *s, const char *digits, int len)'),
    dtmf_tx: f('int dtmf_tx(void *s, _Out_ int16_t *amp, int max_samples)'),
    dtmf_tx_free: f('int dtmf_tx_free(void *s)'),

    adsi_rx_init: f('void *adsi_rx_init(void *s, int standard, spandsp_put_msg_cb *put_msg, void *user_data)'),
    adsi_rx: f('int adsi_rx(void *s, const int16_t *amp, int len)'),
    adsi_rx_free: f('int adsi_rx_free(void *s)'),

    adsi_tx_init: f('void *adsi_tx_init(void *s, int standard)'),
    adsi_tx_put_message: f('int adsi_tx_put_message(void *s, const uint8_t *msg, int len)'),
    adsi_tx: f('int adsi_tx(void *s, _Out_ int16_t *amp, int max_len)'),
    adsi_tx_free: f('int adsi_tx_free(void *s)'),

    r2_mf_rx_init: f('void *r2_mf_rx_init(void *s, int fwd, void *callback, void *user_data)'),
    r2_mf_rx: f('int r2_mf_rx(void *s, const int16_t *amp, int samples)'),
    r2_mf_rx_get: f('int r2_mf_rx_get(void *s)'),
    r2_mf_rx_free: f('int r2_mf_rx_free(void *s)'),
    r2_mf_tx_init: f('void *r2_mf_tx_init(void *s, int fwd)'),
    r2_mf_tx: f('int r2_mf_tx(void *s, _Out_ int16_t *amp, int samples)'),
    r2_mf_tx_put: f('int r2_mf_tx_put(void *s, char digit)'),
    r2_mf_tx_free: f('int r2_mf_tx_free(void *s)'),
  } as unknown as LibSpanDsp;
  cached = { lib, putMsgCb };
  return cached;
}
