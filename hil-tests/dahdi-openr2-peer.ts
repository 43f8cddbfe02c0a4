/**
 * openr2 (Debian libopenr2) as a third-party DAHDI client for the DAHDI hil-tests:
 * the library opens /dev/dahdi/channel and issues its own ioctls, so it talks to
 * whatever DAHDI this process has (here the preloaded simulator). Only the calls
 * the tests need; prototypes in this one place.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { NativeLibraryError } from '../src/core/errors';

export const OR2_VAR_CHINA = 40;
const OR2_LOG_NOTHING = 0;

interface LibOpenR2 {
  openr2_context_new(mflib: null, evmgr: null, transcoder: null, variant: number, maxAni: number, maxDnis: number): bigint | null;
  openr2_context_delete(ctx: bigint): void;
  openr2_context_set_log_level(ctx: bigint, level: number): void;
  openr2_chan_new(ctx: bigint, channo: number, mfWrite: null, mfRead: null): bigint | null;
  openr2_chan_delete(chan: bigint): void;
  openr2_chan_set_log_level(chan: bigint, level: number): number;
  openr2_chan_process_event(chan: bigint): number;
  openr2_chan_get_fd(chan: bigint): number;
  openr2_chan_get_rx_cas_string(chan: bigint): string;
  openr2_chan_get_tx_cas_string(chan: bigint): string;
  openr2_chan_get_r2_state_string(chan: bigint): string;
  openr2_chan_set_blocked(chan: bigint): number;
  openr2_chan_set_idle(chan: bigint): number;
}

let lib: LibOpenR2 | undefined;

function load(): LibOpenR2 {
  if (lib) return lib;
  let h: LibraryHandle;
  try {
    h = koffi.load('libopenr2.so.3');
  } catch (err) {
    throw new NativeLibraryError('libopenr2', 'libopenr2-3', err);
  }
  const f = (d: string) => h.func(d);
  lib = {
    openr2_context_new: f('void *openr2_context_new(void *mflib, void *evmgr, void *transcoder, int variant, int max_ani, int max_dnis)'),
    openr2_context_delete: f('void openr2_context_delete(void *ctx)'),
    openr2_context_set_log_level: f('void openr2_context_set_log_level(void *ctx, int level)'),
    openr2_chan_new: f('void *openr2_chan_new(void *ctx, int channo, void *mf_write, void *mf_read)'),
    openr2_chan_delete: f('void openr2_chan_delete(void *chan)'),
    openr2_chan_set_log_level: f('int openr2_chan_set_log_level(void *chan, int level)'),
    openr2_chan_process_event: f('int openr2_chan_process_event(void *chan)'),
    openr2_chan_get_fd: f('int openr2_chan_get_fd(void *chan)'),
    openr2_chan_get_rx_cas_string: f('const char *openr2_chan_get_rx_cas_string(void *chan)'),
    openr2_chan_get_tx_cas_string: f('const char *openr2_chan_get_tx_cas_string(void *chan)'),
    openr2_chan_get_r2_state_string: f('const char *openr2_chan_get_r2_state_string(void *chan)'),
    openr2_chan_set_blocked: f('int openr2_chan_set_blocked(void *chan)'),
    openr2_chan_set_idle: f('int openr2_chan_set_idle(void *chan)'),
  } as unknown as LibOpenR2;
  return lib;
}

/** One openr2 channel on DAHDI channel `channo`, with openr2's own default callbacks. */
export class OpenR2Channel {
  private readonly lib = load();
  private readonly ctx: bigint;
  private readonly chan: bigint;

  constructor(channo: number, variant = OR2_VAR_CHINA) {
    const ctx = this.lib.openr2_context_new(null, null, null, variant, 10, 10);
    if (!ctx) throw new Error('openr2_context_new failed');
    this.ctx = ctx;
    this.lib.openr2_context_set_log_level(ctx, Number(process.env.OR2_LOG ?? OR2_LOG_NOTHING));
    const chan = this.lib.openr2_chan_new(ctx, channo, null, null);
    if (!chan) {
      this.lib.openr2_context_delete(ctx);
      throw new Error(`openr2_chan_new(${channo}) failed: openr2 could not open or set up the DAHDI channel`);
    }
    this.chan = chan;
    this.lib.openr2_chan_set_log_level(chan, Number(process.env.OR2_LOG ?? OR2_LOG_NOTHING));
    if (this.lib.openr2_chan_set_idle(chan) !== 0) {
      this.close();
      throw new Error(`openr2_chan_set_idle(${channo}) failed`);
    }
  }

  /** Lets openr2 read its DAHDI events (CAS changes) and act on them. */
  processEvents(): void {
    this.lib.openr2_chan_process_event(this.chan);
  }

  get fd(): number {
    return this.lib.openr2_chan_get_fd(this.chan);
  }

  get rxCas(): string {
    return this.lib.openr2_chan_get_rx_cas_string(this.chan);
  }

  get txCas(): string {
    return this.lib.openr2_chan_get_tx_cas_string(this.chan);
  }

  get state(): string {
    return this.lib.openr2_chan_get_r2_state_string(this.chan);
  }

  block(): void {
    this.lib.openr2_chan_set_blocked(this.chan);
  }

  close(): void {
    this.lib.openr2_context_delete(this.ctx); // deletes its channels, which close their descriptors
  }
}
