import { ClosedError, InputError, NativeCallError } from '../../src/core/errors';
import { loadSpanDsp, LibSpanDsp, Pointer } from './ffi';
import { stateAllocated, stateFreed } from './live-states';

export interface DtmfReceiverOptions {
  /** Weakest tone (per frequency, dBm0) to detect. Default -40: the seed needs -35, with margin. */
  minLevelDbm0?: number;
  /** Notch the 350/440 Hz dial tone before detection (useful off-hook on a noisy line). */
  filterDialTone?: boolean;
}

/** One DTMF receiver channel (spandsp `dtmf_rx`), fed 16-bit linear frames. */
export class DtmfReceiver {
  private readonly lib: LibSpanDsp;
  private state: Pointer | undefined;
  private readonly out = new Uint8Array(128);

  constructor(opts: DtmfReceiverOptions = {}) {
    this.lib = loadSpanDsp().lib;
    const s = this.lib.dtmf_rx_init(null, null, null);
    if (!s) throw new NativeCallError('dtmf_rx_init', 0);
    this.state = s;
    stateAllocated('dtmf_rx');
    this.lib.dtmf_rx_parms(s, opts.filterDialTone ? 1 : 0, -1, -1, Math.round(opts.minLevelDbm0 ?? -40));
  }

  /** Feeds samples; returns the digits completed so far (usually '' or one digit). */
  feed(samples: Int16Array): string {
    const s = this.live();
    this.lib.dtmf_rx(s, samples, samples.length);
    const n = Number(this.lib.dtmf_rx_get(s, this.out, this.out.length));
    return n > 0 ? String.fromCharCode(...this.out.subarray(0, n)) : '';
  }

  close(): void {
    if (this.state === undefined) return;
    this.lib.dtmf_rx_free(this.state);
    this.state = undefined;
    stateFreed('dtmf_rx');
  }

  private live(): Pointer {
    if (this.state === undefined) throw new ClosedError('DTMF receiver');
    return this.state;
  }
}

export interface DtmfSenderOptions {
  /** Level of each tone in dBm0 (default -8; the low-group tone, the high one gets `twistDb` more). */
  levelDbm0?: number;
  twistDb?: number;
  onMs?: number;
  offMs?: number;
}

const DIALLABLE = /^[0-9*#A-D]*$/;

/** One DTMF generator (spandsp `dtmf_tx`): queue digits, pull 16-bit frames. */
export class DtmfSender {
  private readonly lib: LibSpanDsp;
  private state: Pointer | undefined;

  constructor(opts: DtmfSenderOptions = {}) {
    this.lib = loadSpanDsp().lib;
    const s = this.lib.dtmf_tx_init(null);
    if (!s) throw new NativeCallError('dtmf_tx_init', 0);
    this.state = s;
    stateAllocated('dtmf_tx');
    this.lib.dtmf_tx_set_level(s, Math.round(opts.levelDbm0 ?? -8), Math.round(opts.twistDb ?? 2));
    this.lib.dtmf_tx_set_timing(s, Math.round(opts.onMs ?? 80), Math.round(opts.offMs ?? 80));
  }

  /** Queues digits; throws InputError on a character DTMF cannot send. */
  send(digits: string): void {
    if (!DIALLABLE.test(digits)) throw new InputError('DTMF digits', `'${digits}' holds a character DTMF cannot send (0-9 * # A-D)`);
    const queued = this.lib.dtmf_tx_put(this.live(), digits, digits.length);
    if (queued < 0) throw new NativeCallError('dtmf_tx_put', queued);
  }

  /** Fills `out` with tone samples; returns how many were produced (fewer once the queue is empty). */
  generate(out: Int16Array): number {
    return this.lib.dtmf_tx(this.live(), out, out.length);
  }

  close(): void {
    if (this.state === undefined) return;
    this.lib.dtmf_tx_free(this.state);
    this.state = undefined;
    stateFreed('dtmf_tx');
  }

  private live(): Pointer {
    if (this.state === undefined) throw new ClosedError('DTMF sender');
    return this.state;
  }
}
