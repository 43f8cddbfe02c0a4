/**
 * openr2 (Debian libopenr2) as a third-party DAHDI client for the DAHDI hil-tests:
 * the library opens /dev/dahdi/channel and issues its own ioctls, so it talks to
 * whatever DAHDI this process has (here the preloaded simulator). openr2's own
 * default callbacks; the prototypes are in ffi.ts beside it.
 */
import { loadOpenR2, OR2_LOG_NOTHING, OR2_VARIANT } from './ffi';

export const OR2_VAR_CHINA = OR2_VARIANT.china;

/** One openr2 channel on DAHDI channel `channo`, with openr2's own default callbacks. */
export class OpenR2Channel {
  private readonly lib = loadOpenR2().lib;
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
