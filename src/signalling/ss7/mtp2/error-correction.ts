import { encodeMsu, SuHeader } from './signal-unit';

/** Sequence numbers are 7 bits. */
const MOD = 128;
const inc = (n: number) => (n + 1) % MOD;
/** Distance from a to b going forward. */
const ahead = (a: number, b: number) => (b - a + MOD) % MOD;

/** Most MSUs outstanding (unacknowledged) at once: Q.703 allows 127. */
export const MAX_OUTSTANDING = 127;

export interface ErrorCorrectionSink {
  /** An SU to transmit now (a new or retransmitted MSU). */
  transmit(su: Uint8Array): void;
  /** An MSU accepted in sequence: SIO + SIF for MTP3. */
  deliver(payload: Uint8Array): void;
  /** Abnormal BSN or FIB twice in a row: the link must fail (Q.703 5.3). */
  fail(reason: string): void;
}

export type AckResult = 'none' | 'positive' | 'negative';

/** What a failed link held: MSUs sent but not acknowledged (FSN order), and MSUs never sent. */
export interface RetrievedMsus {
  sent: readonly { fsn: number; payload: Uint8Array }[];
  waiting: readonly Uint8Array[];
}

/**
 * The MSUs to send again on another link after a changeover (Q.704 5.4): those the
 * peer had not accepted (FSN after `peerFsn`, the FSN its COO or COA carried), then
 * those never sent. Without an FSN (time-controlled changeover) every one is sent.
 */
export function msusAfter(r: RetrievedMsus, peerFsn?: number): Uint8Array[] {
  let start = 0;
  if (peerFsn !== undefined && r.sent.length) {
    // The FSNs are consecutive: the peer's FSN is the d-th of them, or before the first (none accepted).
    const d = ahead(r.sent[0].fsn, peerFsn & 0x7f);
    if (d < r.sent.length) start = d + 1;
  }
  return [...r.sent.slice(start).map((m) => m.payload), ...r.waiting];
}

/**
 * Q.703 basic error correction: forward and backward sequence numbers and
 * indicator bits, the retransmission buffer, positive and negative
 * acknowledgement and retransmission from the first unacknowledged MSU. Owns no
 * time: the link runs T7 from `outstanding` and the ack results.
 */
export class BasicErrorCorrection {
  /** FSN of the last MSU we sent (FISUs repeat it). */
  private fsn = 127;
  private fib = 1;
  /** FSN of the last MSU we accepted (our BSN). */
  private bsn = 127;
  private bib = 1;
  /** The last of our MSUs the peer acknowledged. */
  private acked = 127;
  private readonly buffer: { fsn: number; payload: Uint8Array }[] = [];
  private readonly waiting: Uint8Array[] = [];
  private abnormalBsn = 0;
  /** MSUs sent again after a negative acknowledgement. */
  retransmissions = 0;
  private abnormalFib = 0;

  constructor(private readonly sink: ErrorCorrectionSink) {}

  /** Back to the initial values (when alignment starts again). */
  reset(): void {
    this.fsn = this.bsn = this.acked = 127;
    this.fib = this.bib = 1;
    this.buffer.length = 0;
    this.abnormalBsn = this.abnormalFib = 0;
  }

  /** The header every FISU (and LSSU) carries now. */
  header(): SuHeader {
    return { bsn: this.bsn, bib: this.bib, fsn: this.fsn, fib: this.fib };
  }

  get outstanding(): number {
    return this.buffer.length;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** FSN of the last MSU accepted from the peer (carried in changeover orders). */
  get lastAcceptedFsn(): number {
    return this.bsn;
  }

  /** Sends an MSU now, or queues it while 127 are unacknowledged. */
  send(payload: Uint8Array): void {
    if (this.buffer.length >= MAX_OUTSTANDING) {
      this.waiting.push(payload);
      return;
    }
    this.fsn = inc(this.fsn);
    this.buffer.push({ fsn: this.fsn, payload });
    this.sink.transmit(encodeMsu(this.header(), payload));
  }

  /**
   * Takes every MSU not yet acknowledged (with its FSN), and every one waiting, out
   * of the link: changeover buffer retrieval (Q.704 5.4) when the link fails.
   */
  retrieve(): RetrievedMsus {
    const out = { sent: [...this.buffer], waiting: [...this.waiting] };
    this.buffer.length = 0;
    this.waiting.length = 0;
    return out;
  }

  /** Backward direction of any received SU: acknowledgements and retransmission requests. */
  receiveBackward(h: SuHeader): AckResult {
    const span = ahead(this.acked, this.fsn);
    const advance = ahead(this.acked, h.bsn);
    if (advance > span) {
      // A BSN outside what we sent: discard it; twice in a row fails the link.
      if (++this.abnormalBsn >= 2) this.sink.fail('abnormal BSN');
      return 'none';
    }
    this.abnormalBsn = 0;
    this.buffer.splice(0, advance);
    this.acked = h.bsn;
    if (h.bib === this.fib) {
      this.abnormalFib = 0;
      this.drainWaiting();
      return advance > 0 ? 'positive' : 'none';
    }
    // Negative acknowledgement: retransmit from BSN+1 with our FIB inverted.
    if (this.buffer.length === 0 && this.waiting.length === 0 && advance === 0) {
      // Nothing to retransmit and nothing new acknowledged: an abnormal FIB.
      if (++this.abnormalFib >= 2) this.sink.fail('abnormal FIB');
    }
    this.fib ^= 1;
    this.retransmissions += this.buffer.length;
    for (const m of this.buffer) this.sink.transmit(encodeMsu({ ...this.header(), fsn: m.fsn }, m.payload));
    this.drainWaiting();
    return 'negative';
  }

  /** Forward direction of a received FISU or MSU (an LSSU carries none). */
  receiveForward(h: SuHeader, payload?: Uint8Array): void {
    if (h.fsn === this.bsn) return; // a FISU in step, or a duplicate MSU
    if (payload && h.fsn === inc(this.bsn)) {
      // Discarded while the peer has not yet started the retransmission we asked for.
      if (h.fib !== this.bib) return;
      this.bsn = h.fsn;
      this.sink.deliver(payload);
      return;
    }
    // A gap (an MSU was lost): ask once per retransmission cycle.
    if (h.fib === this.bib) this.bib ^= 1;
  }

  private drainWaiting(): void {
    while (this.waiting.length > 0 && this.buffer.length < MAX_OUTSTANDING) this.send(this.waiting.shift()!);
  }
}
