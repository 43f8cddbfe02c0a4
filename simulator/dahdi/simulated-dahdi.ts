import { Clock, TimerHandle } from '../../src/core/clock';
import { InputError, NativeCallError } from '../../src/core/errors';
import { FakeDahdiLib, preloadedFakeDahdi, requireFakeDahdi } from './fake-dahdi-lib';
import { FAULT_CATALOGUE, FaultName, isConditionFault, LINE_FLAG } from './faults';

export type SimSpanKind = 'e1-ccs' | 'e1-cas' | 'fxo' | 'fxs';
const KIND_CODE: Record<SimSpanKind, number> = { 'e1-ccs': 0, 'e1-cas': 1, fxo: 2, fxs: 3 };

export interface SimSpan {
  spanno: number;
  kind: SimSpanKind;
  /** Global DAHDI channel numbers of this span, in timeslot / port order. */
  channels: number[];
  /** E1 bearer channels (all but TS16); analog ports. */
  bearers: number[];
  /** The TS16 hardhdlc channel of an E1 CCS span. */
  dchannel?: number;
}

export interface SimChannelState {
  txbits: number;
  rxbits: number;
  offhook: boolean;
  ringingFarEnd: boolean;
  open: boolean;
  rxOverruns: number;
  badFcs: number;
  framesSent: number;
  /** First on and off times (ms) of the ring cadence set on an FXS port; 0 when the zone's. */
  ringCadence: [number, number];
}

const SAMPLES_PER_MS = 8;

/**
 * The simulated DAHDI as a test or the simulator drives it: spans and cables,
 * the far end of channels no cable joins (the exchange, a phone), the named
 * fault catalogue, and the 8 kHz clock. The state itself lives in
 * libfakedahdi.so, which the driver reaches through its ordinary system calls.
 */
export class SimulatedDahdi {
  private readonly lib: FakeDahdiLib;
  private readonly conditions = new Map<number, number>();
  private ticker: TimerHandle | undefined;

  private constructor(lib: FakeDahdiLib) {
    this.lib = lib;
  }

  /** True when libfakedahdi.so interposes in this process (LD_PRELOAD). */
  static available(): boolean {
    return preloadedFakeDahdi() !== null;
  }

  /** Attaches to the preloaded library and clears its model. */
  static attach(): SimulatedDahdi {
    const sim = new SimulatedDahdi(requireFakeDahdi());
    sim.reset();
    return sim;
  }

  /** Removes every span; descriptors still open fail with ENODEV from now on. */
  reset(): void {
    this.stopClock();
    this.conditions.clear();
    this.lib.fakedahdi_reset();
  }

  addSpan(kind: SimSpanKind, opts: { ports?: number; name?: string } = {}): SimSpan {
    const spanno = this.check('fakedahdi_add_span', this.lib.fakedahdi_add_span(KIND_CODE[kind], opts.ports ?? 0, opts.name ?? 'TPSIM'));
    const first = this.lib.fakedahdi_span_info(spanno, 0);
    const count = this.lib.fakedahdi_span_info(spanno, 1);
    const channels = Array.from({ length: count }, (_, i) => first + i);
    const e1 = kind === 'e1-ccs' || kind === 'e1-cas';
    return {
      spanno,
      kind,
      channels,
      bearers: e1 ? channels.filter((_, i) => i !== 15) : channels,
      dchannel: kind === 'e1-ccs' ? channels[15] : undefined,
    };
  }

  /** Joins two spans as one E1 cable (or two analog port groups pairwise). */
  connectSpans(a: SimSpan, b: SimSpan): void {
    this.check('fakedahdi_connect_spans', this.lib.fakedahdi_connect_spans(a.spanno, b.spanno));
  }

  /** Joins two single channels (an FXO port to an FXS port, for instance). */
  connectChannels(a: number, b: number): void {
    this.check('fakedahdi_connect_channels', this.lib.fakedahdi_connect_channels(a, b));
  }

  /** Moves `ms` of audio through every channel, as DAHDI's 1 ms tick does. */
  advanceAudio(ms: number): void {
    this.check('fakedahdi_tick', this.lib.fakedahdi_tick(Math.round(ms * SAMPLES_PER_MS)));
  }

  /**
   * Runs the audio clock on `clock` every `periodMs` until stopClock(). Each tick is
   * scheduled a full period after the last one ran, so under load the simulated
   * line falls behind the wall clock (a board's clock would not). Catching up
   * missed ticks against absolute time was tried (issue 12): it keeps pace, but the
   * R2 engine's MF tones and the far ends' playback write exactly one block per
   * block read, with no block queued ahead, so ticks closer than a period leave
   * their send buffers empty and the register signalling fails (causes 102, 41,
   * wrong digits). Those writers need a block of slack first.
   */
  startClock(clock: Clock, periodMs = 20): void {
    this.stopClock();
    const step = () => {
      this.advanceAudio(periodMs);
      this.ticker = clock.setTimer(periodMs, step);
    };
    this.ticker = clock.setTimer(periodMs, step);
  }

  stopClock(): void {
    this.ticker?.cancel();
    this.ticker = undefined;
  }

  /** Starts a condition fault or applies an impulse fault (count times) to a span. */
  injectFault(span: SimSpan | number, name: FaultName, count = 1): void {
    const spanno = typeof span === 'number' ? span : span.spanno;
    if (!FAULT_CATALOGUE[name]) throw new InputError('injectFault', `no fault named '${name}' in the catalogue`);
    if (isConditionFault(name)) {
      this.setConditions(spanno, (this.conditions.get(spanno) ?? 0) | LINE_FLAG[name]);
      return;
    }
    switch (name) {
      case 'SLIPS':
        this.check('fakedahdi_slip', this.lib.fakedahdi_slip(spanno, count));
        break;
      case 'CRC4_ERRORS':
        this.check('fakedahdi_add_errors', this.lib.fakedahdi_add_errors(spanno, 0, count, 0, 0));
        break;
      case 'BPV_ERRORS':
        this.check('fakedahdi_add_errors', this.lib.fakedahdi_add_errors(spanno, count, 0, 0, 0));
        break;
      case 'FAS_ERRORS':
        this.check('fakedahdi_add_errors', this.lib.fakedahdi_add_errors(spanno, 0, 0, 0, count));
        break;
      case 'BAD_FCS':
        this.check('fakedahdi_corrupt_frames', this.lib.fakedahdi_corrupt_frames(spanno, count));
        break;
    }
  }

  /** Ends a condition fault. */
  clearFault(span: SimSpan | number, name: FaultName): void {
    const spanno = typeof span === 'number' ? span : span.spanno;
    if (!isConditionFault(name)) throw new InputError('clearFault', `'${name}' is an impulse, not a condition that lasts`);
    this.setConditions(spanno, (this.conditions.get(spanno) ?? 0) & ~LINE_FLAG[name]);
  }

  spanState(span: SimSpan | number): { alarms: number; slips: number } {
    const spanno = typeof span === 'number' ? span : span.spanno;
    return { alarms: this.lib.fakedahdi_span_info(spanno, 2), slips: this.lib.fakedahdi_span_info(spanno, 3) };
  }

  channelState(channo: number): SimChannelState {
    const f = (which: number) => this.check('fakedahdi_chan_info', this.lib.fakedahdi_chan_info(channo, which));
    return {
      txbits: f(0),
      rxbits: f(1),
      offhook: f(2) === 1,
      ringingFarEnd: f(3) === 1,
      open: f(4) === 1,
      rxOverruns: f(5),
      badFcs: f(6),
      framesSent: f(7),
      ringCadence: [f(13), f(14)],
    };
  }

  /** Sets a channel's signalling as dahdi_cfg does from system.conf (DAHDI_CHANCONFIG; the port must be able to do it). */
  configureChannel(channo: number, sigtype: number, idlebits = 0): void {
    this.check('fakedahdi_chan_config', this.lib.fakedahdi_chan_config(channo, sigtype, idlebits));
  }

  // ---- the far end of a channel no cable joins ----

  /** The exchange's ABCD bits toward this channel. */
  farSetBits(channo: number, abcd: number): void {
    this.check('fakedahdi_far_set_bits', this.lib.fakedahdi_far_set_bits(channo, abcd));
  }

  /** The phone on an FXS port goes off hook (true) or on hook. */
  farHook(channo: number, offhook: boolean): void {
    this.check('fakedahdi_far_hook', this.lib.fakedahdi_far_hook(channo, offhook ? 1 : 0));
  }

  /** The exchange starts (true) or stops ringing an FXO port. */
  farRing(channo: number, on: boolean): void {
    this.check('fakedahdi_far_ring', this.lib.fakedahdi_far_ring(channo, on ? 1 : 0));
  }

  /** The exchange reverses the line polarity on an FXO port. */
  farPolarityReversal(channo: number): void {
    this.check('fakedahdi_far_polarity', this.lib.fakedahdi_far_polarity(channo));
  }

  /** Loop battery present (true) or lost on an FXO port. */
  farBattery(channo: number, present: boolean): void {
    this.check('fakedahdi_far_battery', this.lib.fakedahdi_far_battery(channo, present ? 1 : 0));
  }

  /** Queues A-law audio the far end sends toward the channel; returns the bytes accepted. */
  farWriteAudio(channo: number, alaw: Uint8Array): number {
    return this.check('fakedahdi_far_write_audio', this.lib.fakedahdi_far_write_audio(channo, alaw, alaw.length));
  }

  /** Takes up to `max` bytes of A-law audio the channel sent toward the far end. */
  farReadAudio(channo: number, max: number): Uint8Array {
    const buf = new Uint8Array(max);
    const n = this.check('fakedahdi_far_read_audio', this.lib.fakedahdi_far_read_audio(channo, buf, max));
    return buf.subarray(0, n);
  }

  /** The far end sends one HDLC frame (with 2 FCS bytes, filled in here) on a D-channel. */
  farSendFrame(channo: number, frame: Uint8Array): void {
    this.check('fakedahdi_far_send_frame', this.lib.fakedahdi_far_send_frame(channo, frame, frame.length));
  }

  /** The next HDLC frame the channel sent, or undefined. */
  farReceiveFrame(channo: number): Uint8Array | undefined {
    const buf = new Uint8Array(1024);
    const n = this.check('fakedahdi_far_recv_frame', this.lib.fakedahdi_far_recv_frame(channo, buf, buf.length));
    return n > 0 ? buf.slice(0, n) : undefined;
  }

  private setConditions(spanno: number, flags: number): void {
    this.check('fakedahdi_set_line', this.lib.fakedahdi_set_line(spanno, flags));
    this.conditions.set(spanno, flags);
  }

  private check(fn: string, res: number): number {
    if (res < 0) throw new NativeCallError(fn, res);
    return res;
  }
}
