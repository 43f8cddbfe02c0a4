/**
 * spandsp's MFC/R2 tone receiver and generator (bell_r2_mf.h) as koffi
 * declarations: the one file that knows these prototypes. The states stay
 * opaque; spandsp allocates them when passed NULL. DTMF and ADSI live in ffi.ts.
 */
import koffi from 'koffi';
import { NativeLibraryError } from '../../src/core/errors';

export type Pointer = bigint;

export interface SpandspR2Mf {
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

let loaded: SpandspR2Mf | undefined;

export function loadSpandspR2Mf(): SpandspR2Mf {
  if (loaded) return loaded;
  let lib;
  try {
    lib = koffi.load('libspandsp.so.2');
  } catch (err) {
    throw new NativeLibraryError('libspandsp.so.2', 'libspandsp2', err);
  }
  const opaque = 'void *';
  loaded = {
    r2_mf_rx_init: lib.func(`${opaque} r2_mf_rx_init(${opaque} s, int fwd, ${opaque} callback, ${opaque} user_data)`),
    r2_mf_rx: lib.func(`int r2_mf_rx(${opaque} s, const int16_t *amp, int samples)`),
    r2_mf_rx_get: lib.func(`int r2_mf_rx_get(${opaque} s)`),
    r2_mf_rx_free: lib.func(`int r2_mf_rx_free(${opaque} s)`),
    r2_mf_tx_init: lib.func(`${opaque} r2_mf_tx_init(${opaque} s, int fwd)`),
    r2_mf_tx: lib.func(`int r2_mf_tx(${opaque} s, _Out_ int16_t *amp, int samples)`),
    r2_mf_tx_put: lib.func(`int r2_mf_tx_put(${opaque} s, char digit)`),
    r2_mf_tx_free: lib.func(`int r2_mf_tx_free(${opaque} s)`),
  } as unknown as SpandspR2Mf;
  return loaded;
}
