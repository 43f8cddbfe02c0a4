import koffi from 'koffi';
import {
  loadOpenR2,
  LibOpenR2,
  OpenR2Callbacks,
  OR2_CALL_NO_CHARGE,
  OR2_CALL_WITH_CHARGE,
  OR2_CATEGORY_NATIONAL_SUBSCRIBER,
  OR2_CAUSE,
  OR2_LOG_NOTHING,
  OR2_VARIANT,
  Pointer,
} from './ffi';

export type OpenR2Event =
  | { type: 'offered'; ani: string; dnis: string; category: number }
  | { type: 'accepted' }
  | { type: 'answered' }
  | { type: 'disconnect'; cause: number }
  | { type: 'end' }
  | { type: 'protocol-error'; error: number }
  | { type: 'idle' }
  | { type: 'blocked' };

export interface OpenR2PeerOptions {
  variant: keyof typeof OR2_VARIANT;
  maxAni?: number;
  maxDnis?: number;
  /** Answer offered calls (accept, then answer once accepted). */
  autoAnswer?: boolean;
  logLevel?: number;
  /** Backward end: do not ask for the calling category (and so not for the calling number). */
  skipCategory?: boolean;
  /** How to accept offered calls: openr2 sends the variant's "idle, charge" or "idle, no charge" group B signal. */
  acceptMode?: 'charge' | 'no-charge';
}

/**
 * openr2 on one DAHDI channel as an interop peer for the project's R2 engine: it
 * runs its own MF and CAS through DAHDI; the owner calls poll() on its timer
 * (openr2 reads, writes and runs its timers inside openr2_chan_process_event).
 * Callbacks are registered once per peer and unregistered on close.
 */
export class OpenR2Peer {
  private readonly lib: LibOpenR2;
  private readonly ctx: Pointer;
  private readonly chan: Pointer;
  private readonly registered: bigint[] = [];
  private readonly evmgr: unknown;
  readonly events: OpenR2Event[] = [];
  private closed = false;

  constructor(
    channo: number,
    private readonly opts: OpenR2PeerOptions,
  ) {
    const { lib, types } = loadOpenR2();
    this.lib = lib;
    const cb: OpenR2Callbacks = {
      onCallInit: () => undefined,
      onCallOffered: (_c, ani, dnis, category) => {
        this.events.push({ type: 'offered', ani: ani ?? '', dnis: dnis ?? '', category });
        if (this.opts.autoAnswer)
          this.lib.openr2_chan_accept_call(this.chan, this.opts.acceptMode === 'charge' ? OR2_CALL_WITH_CHARGE : OR2_CALL_NO_CHARGE);
      },
      onCallAccepted: () => {
        this.events.push({ type: 'accepted' });
        // Only the backward end answers; openr2 tells both ends "accepted".
        if (this.opts.autoAnswer && this.events.some((e) => e.type === 'offered')) this.lib.openr2_chan_answer_call(this.chan);
      },
      onCallAnswered: () => this.events.push({ type: 'answered' }),
      onCallDisconnect: (_c, cause) => {
        this.events.push({ type: 'disconnect', cause });
        this.lib.openr2_chan_disconnect_call(this.chan, OR2_CAUSE.NORMAL_CLEARING);
      },
      onCallEnd: () => this.events.push({ type: 'end' }),
      onProtocolError: (_c, error) => this.events.push({ type: 'protocol-error', error }),
      onLineBlocked: () => this.events.push({ type: 'blocked' }),
      onLineIdle: () => this.events.push({ type: 'idle' }),
      onDnisDigit: () => 1,
    };
    const reg = <K extends keyof OpenR2Callbacks>(k: K) => {
      const r = koffi.register(cb[k], types.protos[k]);
      this.registered.push(r);
      return r;
    };
    const fields = {
      on_call_init: reg('onCallInit'),
      on_call_offered: reg('onCallOffered'),
      on_call_accepted: reg('onCallAccepted'),
      on_call_answered: reg('onCallAnswered'),
      on_call_disconnect: reg('onCallDisconnect'),
      on_call_end: reg('onCallEnd'),
      on_call_read: null,
      on_hardware_alarm: null,
      on_os_error: null,
      on_protocol_error: reg('onProtocolError'),
      on_line_blocked: reg('onLineBlocked'),
      on_line_idle: reg('onLineIdle'),
      on_context_log: null,
      on_dnis_digit_received: reg('onDnisDigit'),
      on_ani_digit_received: null,
      on_billing_pulse_received: null,
    };
    // openr2 keeps the pointer (and fills NULL entries with its defaults): the struct must outlive the context.
    this.evmgr = koffi.alloc(types.evmgr, 1);
    koffi.encode(this.evmgr, types.evmgr, fields);
    const ctx = lib.openr2_context_new(
      null,
      koffi.address(this.evmgr),
      null,
      OR2_VARIANT[opts.variant],
      opts.maxAni ?? 20,
      opts.maxDnis ?? 20,
    );
    if (!ctx) throw new Error('openr2_context_new failed');
    this.ctx = ctx;
    lib.openr2_context_set_log_level(ctx, opts.logLevel ?? OR2_LOG_NOTHING);
    if (opts.skipCategory) lib.openr2_context_set_skip_category_request(ctx, 1);
    const chan = lib.openr2_chan_new(ctx, channo, null, null);
    if (!chan) {
      lib.openr2_context_delete(ctx);
      throw new Error(`openr2_chan_new(${channo}) failed: openr2 could not open or set up the DAHDI channel`);
    }
    this.chan = chan;
    lib.openr2_chan_set_log_level(chan, opts.logLevel ?? OR2_LOG_NOTHING);
    if (lib.openr2_chan_set_idle(chan) !== 0) throw new Error(`openr2_chan_set_idle(${channo}) failed`);
  }

  /** Lets openr2 handle CAS events, MF audio and its timers. */
  poll(): void {
    if (!this.closed) this.lib.openr2_chan_process_event(this.chan);
  }

  makeCall(ani: string, dnis: string): void {
    if (this.lib.openr2_chan_make_call(this.chan, ani, dnis, OR2_CATEGORY_NATIONAL_SUBSCRIBER) !== 0)
      throw new Error('openr2_chan_make_call failed');
  }

  hangup(cause: number = OR2_CAUSE.NORMAL_CLEARING): void {
    this.lib.openr2_chan_disconnect_call(this.chan, cause);
  }

  get state(): string {
    return this.lib.openr2_chan_get_r2_state_string(this.chan);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lib.openr2_context_delete(this.ctx);
    for (const r of this.registered) koffi.unregister(r);
    koffi.free(this.evmgr);
  }
}
