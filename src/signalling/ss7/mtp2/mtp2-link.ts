import { Clock } from '../../../core/clock';
import { StateMachine, TransitionTable } from '../../../core/state-machine';
import { Ss7DecodeError } from '../ss7-errors';
import { BasicErrorCorrection, RetrievedMsus } from './error-correction';
import { decodeSignalUnit, encodeFisu, encodeLssu, LssuStatus, SignalUnit } from './signal-unit';
import { Emitter, Unsubscribe } from '../../../core/emitter';

/** Q.703 timers in ms (64 kbit/s values; libss7 uses the same). */
export interface Mtp2Timers {
  T1: number; // aligned-ready: wait for the peer's FISU/MSU
  T2: number; // not aligned: wait for the peer's SIO/SIN/SIE
  T3: number; // aligned: wait for SIN/SIE
  T4n: number; // normal proving period
  T4e: number; // emergency proving period
  T5: number; // between SIBs we send while busy
  T6: number; // remote congestion (SIB received) before failing
  T7: number; // excessive delay of acknowledgement
  /** Out of service before aligning again after a failure (Q.704 T17 range). */
  restart: number;
}

export const ITU_MTP2_TIMERS: Mtp2Timers = {
  T1: 45_000,
  T2: 50_000,
  T3: 1_500,
  T4n: 8_500,
  T4e: 500,
  T5: 100,
  T6: 5_000,
  T7: 1_250,
  restart: 1_000,
};

export interface Mtp2Options {
  timers?: Partial<Mtp2Timers>;
  /** Prove with the emergency period (one link in the link set, or MTP3 asks). */
  emergency?: boolean;
  /** Aligns again on its own after a failure (default true). */
  autoRestart?: boolean;
}

export type Mtp2State = 'out-of-service' | 'not-aligned' | 'aligned' | 'proving' | 'aligned-ready' | 'in-service';
type Mtp2Stimulus = 'start' | 'sio' | 'sin' | 't4' | 'fisu' | 'realign' | 'fail';

const TABLE: TransitionTable<Mtp2State, Mtp2Stimulus> = {
  'out-of-service': { start: 'not-aligned', fail: 'out-of-service' },
  'not-aligned': { sio: 'aligned', sin: 'proving', fail: 'out-of-service' },
  aligned: { sin: 'proving', fail: 'out-of-service' },
  proving: { realign: 'aligned', t4: 'aligned-ready', fail: 'out-of-service' },
  'aligned-ready': { fisu: 'in-service', fail: 'out-of-service' },
  'in-service': { fail: 'out-of-service' },
};

export type Mtp2Event =
  | { type: 'in-service' }
  | { type: 'out-of-service'; reason: string }
  | { type: 'msu'; payload: Uint8Array }
  | { type: 'remote-processor-outage' }
  | { type: 'error'; error: Ss7DecodeError };

/** SUERM (Q.703 10.2): T=64, D=256. AERM thresholds Ti=4, Tie=1; M=5 proving attempts. */
const SUERM_T = 64;
const SUERM_D = 256;
const AERM_TI = 4;
const AERM_TIE = 1;
const MAX_PROVING = 5;

/**
 * One MTP2 signalling link end as a pure engine: fed received SUs and the time,
 * it queues SUs to transmit (`takeOutgoing`) and keeps a fill-in SU (`fillIn`)
 * that the transport repeats. It owns no timer: `nextDeadline()` says when to
 * call `feedTime`. See mtp2-link.fsm.
 */
export class Mtp2Link {
  readonly timers: Mtp2Timers;
  private readonly machine: StateMachine<Mtp2State, Mtp2Stimulus>;
  private readonly ec: BasicErrorCorrection;
  private readonly deadlines = new Map<string, number>();
  private readonly outgoing: Uint8Array[] = [];
  private fill: Uint8Array;
  private fillStatus: LssuStatus | 'FISU' = 'SIOS';
  private readonly events = new Emitter<[ev: Mtp2Event]>();
  private now = 0;
  private emergencyProving = false;
  private peerReady = false;
  private aerm = 0;
  private provingAttempts = 0;
  private suerm = 0;
  private goodSus = 0;
  private localBusy = false;
  private stopped = true;
  /** Counters for telemetry and tests. */
  readonly counters = { errored: 0, retransmitted: 0, failures: 0, received: 0, transmitted: 0 };
  lastFailure: string | undefined;

  constructor(
    private readonly opts: Mtp2Options = {},
    name = 'mtp2',
  ) {
    this.timers = { ...ITU_MTP2_TIMERS, ...opts.timers };
    const clock: Clock = {
      now: () => this.now,
      setTimer: () => {
        throw new Error('mtp2 owns no timers');
      },
    };
    this.machine = new StateMachine(name, TABLE, 'out-of-service', { clock, historySize: 24 });
    this.ec = new BasicErrorCorrection({
      transmit: (su) => this.push(su),
      deliver: (payload) => this.emit({ type: 'msu', payload }),
      fail: (reason) => this.failLink(reason),
    });
    this.fill = encodeLssu(this.ec.header(), 'SIOS');
  }

  get state(): Mtp2State {
    return this.machine.state;
  }

  get inService(): boolean {
    return this.machine.state === 'in-service';
  }

  /** The SU the transport repeats while nothing else is sent. */
  get fillIn(): Uint8Array {
    return this.fill;
  }

  /** MSUs accepted by the peer not yet acknowledged, and MSUs waiting for the window. */
  get backlog(): number {
    return this.ec.outstanding + this.ec.queued;
  }

  get lastAcceptedFsn(): number {
    return this.ec.lastAcceptedFsn;
  }

  onEvent(listener: (ev: Mtp2Event) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** SUs to write, oldest first (MSUs and each change of the fill-in); empties the queue. */
  takeOutgoing(): Uint8Array[] {
    return this.outgoing.splice(0);
  }

  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const at of this.deadlines.values()) if (min === undefined || at < min) min = at;
    return min;
  }

  /** Starts (or restarts) initial alignment. */
  start(now: number, emergency = this.opts.emergency ?? false): void {
    this.now = now;
    this.stopped = false;
    this.opts.emergency = emergency;
    if (this.state !== 'out-of-service') return;
    this.deadlines.clear();
    this.ec.reset();
    this.provingAttempts = 0;
    this.machine.transition('start');
    this.setFill('SIO');
    this.arm('T2', this.timers.T2);
  }

  /** Takes the link out of service for good (until start), e.g. for a layer-1 alarm. */
  stop(now: number, reason = 'stopped by management'): void {
    this.now = now;
    this.stopped = true;
    if (this.state !== 'out-of-service') this.failLink(reason);
    this.deadlines.clear();
  }

  /** MTP3 asks to send an MSU (SIO + SIF). False when the link is not in service. */
  send(payload: Uint8Array, now: number): boolean {
    this.now = now;
    if (!this.inService) return false;
    const wasIdle = this.ec.outstanding === 0;
    this.ec.send(payload);
    if (wasIdle && this.ec.outstanding > 0 && !this.deadlines.has('T6')) this.arm('T7', this.timers.T7);
    this.refreshFisu();
    return true;
  }

  /** Takes unacknowledged and queued MSUs out (changeover retrieval). */
  retrieve(): RetrievedMsus {
    this.deadlines.delete('T7');
    return this.ec.retrieve();
  }

  /** Local receive congestion: sends SIB every T5 until cleared. */
  setBusy(busy: boolean, now: number): void {
    this.now = now;
    this.localBusy = busy;
    if (busy && this.inService) this.sendSib();
    if (!busy) this.deadlines.delete('T5');
  }

  /** The HDLC layer saw a bad frame (FCS error, abort): counts toward SUERM/AERM. */
  receiveError(now: number): void {
    this.now = now;
    this.erroredSu();
  }

  /** One received signal unit (without flags and FCS). */
  receive(bytes: Uint8Array, now: number): void {
    this.now = now;
    let su: SignalUnit;
    try {
      su = decodeSignalUnit(bytes);
    } catch (err) {
      if (!(err instanceof Ss7DecodeError)) throw err;
      this.emit({ type: 'error', error: err });
      this.erroredSu();
      return;
    }
    this.counters.received++;
    if (su.kind === 'lssu') this.onLssu(su.status);
    else this.onFisuOrMsu(su);
  }

  feedTime(now: number): void {
    this.now = now;
    for (const [name, at] of [...this.deadlines]) {
      if (at > now || this.deadlines.get(name) !== at) continue;
      this.deadlines.delete(name);
      this.expired(name);
    }
  }

  private expired(name: string): void {
    switch (name) {
      case 'T2':
      case 'T3':
      case 'T1':
        return this.failLink(`${name} expired (alignment not possible)`);
      case 'T4':
        this.machine.transition('t4');
        this.setFill('FISU');
        if (this.peerReady) return this.enterService();
        return this.arm('T1', this.timers.T1);
      case 'T5':
        if (this.localBusy && this.inService) this.sendSib();
        return;
      case 'T6':
        return this.failLink('T6 expired (remote congestion)');
      case 'T7':
        return this.failLink('T7 expired (no acknowledgement)');
      case 'restart':
        if (!this.stopped) this.start(this.now);
        return;
    }
  }

  private onLssu(status: LssuStatus): void {
    const state = this.state;
    if (status === 'SIB') {
      if (state === 'in-service' && !this.deadlines.has('T6')) {
        this.deadlines.delete('T7');
        this.arm('T6', this.timers.T6);
      }
      return;
    }
    if (status === 'SIPO') {
      if (state === 'in-service') this.emit({ type: 'remote-processor-outage' });
      return;
    }
    const aligning = status === 'SIO' || status === 'SIN' || status === 'SIE';
    switch (state) {
      case 'not-aligned':
        if (!aligning) return;
        this.deadlines.delete('T2');
        this.setFill(this.opts.emergency ? 'SIE' : 'SIN');
        if (status === 'SIO') {
          this.machine.transition('sio');
          return this.arm('T3', this.timers.T3);
        }
        // The peer is aligned already: straight to proving (Q.703 IAC).
        this.machine.transition('sin');
        return this.startProving(status === 'SIE' || !!this.opts.emergency);
      case 'aligned':
        if (status === 'SIOS') return this.failLink('SIOS received while aligning');
        if (status === 'SIO') return;
        this.deadlines.delete('T3');
        this.machine.transition('sin');
        return this.startProving(status === 'SIE' || !!this.opts.emergency);
      case 'proving':
        if (status === 'SIOS') return this.failLink('SIOS received while proving');
        if (status === 'SIO') {
          this.deadlines.delete('T4');
          this.machine.transition('realign');
          return this.arm('T3', this.timers.T3);
        }
        if (status === 'SIE' && !this.emergencyProving) this.startProving(true);
        return;
      case 'aligned-ready':
        if (status === 'SIOS') return this.failLink('SIOS received in aligned-ready');
        return; // the peer is still proving
      case 'in-service':
        return this.failLink(`${status} received in service`);
      default:
        return;
    }
  }

  private onFisuOrMsu(su: Exclude<SignalUnit, { kind: 'lssu' }>): void {
    // The peer finished proving first: with repeats de-duplicated we may see its FISU only once.
    if (this.state === 'proving') this.peerReady = true;
    if (this.state === 'aligned-ready') this.enterService();
    if (this.state !== 'in-service') return;
    if (++this.goodSus >= SUERM_D) {
      this.goodSus = 0;
      if (this.suerm > 0) this.suerm--;
    }
    // A FISU/MSU ends remote congestion.
    if (this.deadlines.delete('T6') && this.ec.outstanding > 0) this.arm('T7', this.timers.T7);
    const ack = this.ec.receiveBackward(su);
    if (this.state !== 'in-service') return; // abnormal BSN/FIB failed the link
    this.counters.retransmitted = this.ec.retransmissions;
    if (ack !== 'none') {
      if (this.ec.outstanding === 0) this.deadlines.delete('T7');
      else if (!this.deadlines.has('T6')) this.arm('T7', this.timers.T7);
    }
    this.ec.receiveForward(su, su.kind === 'msu' ? su.payload : undefined);
    this.refreshFisu();
  }

  private enterService(): void {
    this.deadlines.delete('T1');
    this.machine.transition('fisu');
    this.suerm = 0;
    this.goodSus = 0;
    this.emit({ type: 'in-service' });
  }

  private startProving(emergency: boolean): void {
    this.peerReady = false;
    this.emergencyProving = emergency;
    this.aerm = 0;
    this.arm('T4', emergency ? this.timers.T4e : this.timers.T4n);
  }

  private erroredSu(): void {
    this.counters.errored++;
    if (this.state === 'proving') {
      if (++this.aerm >= (this.emergencyProving ? AERM_TIE : AERM_TI)) {
        if (++this.provingAttempts > MAX_PROVING) return this.failLink('proving failed 5 times');
        this.startProving(this.emergencyProving);
      }
    } else if (this.state === 'in-service') {
      if (++this.suerm >= SUERM_T) this.failLink('SUERM threshold (error rate)');
    }
  }

  private sendSib(): void {
    this.push(encodeLssu(this.ec.header(), 'SIB'));
    this.arm('T5', this.timers.T5);
  }

  private failLink(reason: string): void {
    const wasInService = this.state === 'in-service';
    if (this.state !== 'out-of-service') this.machine.transition('fail', reason);
    this.deadlines.clear();
    this.setFill('SIOS');
    this.lastFailure = reason;
    this.counters.failures++;
    if (!this.stopped && this.opts.autoRestart !== false) this.arm('restart', this.timers.restart);
    if (wasInService || !this.stopped) this.emit({ type: 'out-of-service', reason });
  }

  private setFill(status: LssuStatus | 'FISU'): void {
    this.fillStatus = status;
    const h = this.ec.header();
    this.replaceFill(status === 'FISU' ? encodeFisu(h) : encodeLssu(h, status));
  }

  /** The FISU follows every change of FSN/BSN/FIB/BIB. */
  private refreshFisu(): void {
    if (this.fillStatus === 'FISU') this.replaceFill(encodeFisu(this.ec.header()));
  }

  private replaceFill(su: Uint8Array): void {
    if (su.length === this.fill.length && su.every((b, i) => b === this.fill[i])) return;
    this.fill = su;
    this.push(su);
  }

  private push(su: Uint8Array): void {
    this.counters.transmitted++;
    this.outgoing.push(su);
  }

  private arm(name: string, ms: number): void {
    this.deadlines.set(name, this.now + ms);
  }

  private emit(ev: Mtp2Event): void {
    this.events.emit(ev);
  }
}
