import { decodeAlaw } from '../../src/dsp/g711';
import { MfDirection } from '../../src/signalling/r2/mf-tones';
import { ClosedError } from '../../src/core/errors';
import { LibSpanDsp, loadSpanDsp, Pointer } from '../../drivers/spandsp/ffi';
import { stateAllocated, stateFreed } from '../../drivers/spandsp/live-states';

/** spandsp's digits for R2 signals 1-15. */
const DIGITS = '1234567890BCDEF';

export function signalOfDigit(code: number): number {
  if (code === 0) return 0;
  return DIGITS.indexOf(String.fromCharCode(code)) + 1;
}

/**
 * spandsp's R2 MF receiver for one direction's band, with the same feed/signal
 * shape as MfDetector, so the two can be measured side by side.
 */
export class SpandspR2MfReceiver {
  private readonly lib: LibSpanDsp;
  private state: Pointer | undefined;
  private readonly pcm = new Int16Array(160);

  constructor(readonly direction: MfDirection) {
    this.lib = loadSpanDsp().lib;
    this.state = this.init();
  }

  get signal(): number {
    return signalOfDigit(this.lib.r2_mf_rx_get(this.live()));
  }

  feedAlaw(frame: Uint8Array): number {
    const pcm = frame.length === this.pcm.length ? this.pcm : new Int16Array(frame.length);
    decodeAlaw(frame, pcm);
    this.lib.r2_mf_rx(this.live(), pcm, pcm.length);
    return this.signal;
  }

  reset(): void {
    this.close();
    this.state = this.init();
  }

  /** Frees the native state once; closing again is harmless, use after close throws. */
  close(): void {
    if (this.state === undefined) return;
    this.lib.r2_mf_rx_free(this.state);
    this.state = undefined;
    stateFreed('r2_mf_rx');
  }

  private live(): Pointer {
    if (this.state === undefined) throw new ClosedError('R2 MF receiver');
    return this.state;
  }

  private init(): Pointer {
    const s = this.lib.r2_mf_rx_init(null, this.direction === 'forward' ? 1 : 0, null, null);
    if (!s) throw new Error('r2_mf_rx_init returned NULL');
    stateAllocated('r2_mf_rx');
    return s;
  }
}

/** spandsp's R2 MF generator (for cross-checks: our detector must hear it). */
export class SpandspR2MfGenerator {
  private readonly lib = loadSpanDsp().lib;
  private state: Pointer | undefined;

  constructor(readonly direction: MfDirection) {
    const s = this.lib.r2_mf_tx_init(null, direction === 'forward' ? 1 : 0);
    if (!s) throw new Error('r2_mf_tx_init returned NULL');
    this.state = s;
    stateAllocated('r2_mf_tx');
  }

  set(signal: number): void {
    this.lib.r2_mf_tx_put(this.live(), signal === 0 ? 0 : DIGITS.charCodeAt(signal - 1));
  }

  fill(pcm: Int16Array): void {
    const n = this.lib.r2_mf_tx(this.live(), pcm, pcm.length);
    pcm.fill(0, n);
  }

  /** Frees the native state once; closing again is harmless, use after close throws. */
  close(): void {
    if (this.state === undefined) return;
    this.lib.r2_mf_tx_free(this.state);
    this.state = undefined;
    stateFreed('r2_mf_tx');
  }

  private live(): Pointer {
    if (this.state === undefined) throw new ClosedError('R2 MF generator');
    return this.state;
  }
}
