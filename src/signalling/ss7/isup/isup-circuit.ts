import { Clock } from '../../../core/clock';
import { Q850 } from '../../../core/q850';
import { StateMachine, TransitionTable } from '../../../core/state-machine';
import { IsupMessage, IsupMessageName } from './isup-messages';
import {
  decodeBackwardCallIndicators,
  decodeCause,
  decodePartyNumber,
  decodeSubsequentNumber,
  encodeBackwardCallIndicators,
  encodeCause,
  endsWithSt,
  EVENT,
  ParamName,
} from './isup-params';

/** Q.764 timers (ms). */
export interface IsupTimers {
  T1: number;
  T5: number;
  T6: number;
  T7: number;
  T9: number;
  T12: number;
  T14: number;
  T16: number;
  T17: number;
  T22: number;
  T23: number;
  /** Overlap receive: the next SAM awaited (Q.764 T35, 15-20 s); expiry releases with cause 28. */
  T35: number;
}

export const ISUP_TIMERS: IsupTimers = {
  T1: 15_000,
  T5: 300_000,
  T6: 30_000,
  T7: 25_000,
  T9: 90_000,
  T12: 15_000,
  T14: 15_000,
  T16: 15_000,
  T17: 300_000,
  T22: 15_000,
  T23: 300_000,
  T35: 15_000,
};

export type CircuitState =
  | 'idle'
  | 'outgoing-setup'
  | 'outgoing-alerting'
  | 'incoming-setup'
  | 'incoming-alerting'
  | 'answered'
  | 'suspended'
  | 'releasing'
  | 'resetting';
type Stimulus =
  | 'iam-out'
  | 'iam-in'
  | 'acm-in'
  | 'acm-out'
  | 'answer'
  | 'suspend'
  | 'resume'
  | 'release'
  | 'remote-release'
  | 'rlc'
  | 'reset'
  | 'reset-in';

const CALL = { release: 'releasing', 'remote-release': 'idle', reset: 'resetting', 'reset-in': 'idle' } as const;
const TABLE: TransitionTable<CircuitState, Stimulus> = {
  idle: {
    'iam-out': 'outgoing-setup',
    'iam-in': 'incoming-setup',
    reset: 'resetting',
    'reset-in': 'idle',
    'remote-release': 'idle',
    rlc: 'idle',
  },
  'outgoing-setup': { ...CALL, 'acm-in': 'outgoing-alerting', answer: 'answered', 'iam-in': 'incoming-setup' },
  'outgoing-alerting': { ...CALL, answer: 'answered' },
  'incoming-setup': { ...CALL, 'acm-out': 'incoming-alerting', answer: 'answered' },
  'incoming-alerting': { ...CALL, answer: 'answered' },
  answered: { ...CALL, suspend: 'suspended' },
  suspended: { ...CALL, resume: 'answered' },
  releasing: { rlc: 'idle', 'remote-release': 'idle', release: 'releasing', reset: 'resetting', 'reset-in': 'idle' },
  resetting: { rlc: 'idle', reset: 'resetting', 'reset-in': 'idle', 'remote-release': 'resetting' },
};

export type CircuitEvent =
  /** An incoming call, its called number complete (`digits`: with any SAMs' digits). */
  | { type: 'offered'; called: IsupMessage; digits: string }
  | { type: 'proceeding' | 'alerting' | 'progress' | 'answered' }
  | { type: 'released'; cause: number; by: 'local' | 'remote' };

export interface CircuitContext {
  clock: Clock;
  timers: IsupTimers;
  send(type: IsupMessageName, params?: Partial<Record<ParamName, Uint8Array>>): void;
  report(ev: CircuitEvent): void;
  /** Whether we control this CIC on dual seizure (Q.764 2.9.1.4). */
  controlsDualSeizure: boolean;
  /**
   * Overlap receive: an IAM with fewer digits than this and no ST waits for SAMs
   * (the call is offered at ST, at this many digits, or released 28 when T35 expires).
   * Undefined: every IAM is en bloc.
   */
  overlapMinDigits?: number;
}

/** One ISUP circuit's call control; see isup-circuit.fsm. */
export class IsupCircuit {
  readonly machine: StateMachine<CircuitState, Stimulus>;
  localBlocked = false;
  remoteBlocked = false;
  /** Whether a call the controller knows about is on the circuit. */
  private inCall = false;
  private releaseCause: number = Q850.NORMAL_CLEARING;
  private acmSent = false;
  /** Whether the called party's alerting has been signalled (ACM subscriber free, or CPG alerting). */
  private alertSent = false;
  /** Overlap receive in progress: the IAM and the digits so far. */
  private collecting?: { iam: IsupMessage; digits: string };
  meteringPulses = 0;

  constructor(
    readonly cic: number,
    private readonly ctx: CircuitContext,
  ) {
    this.machine = new StateMachine(`isup cic ${cic}`, TABLE, 'idle', { clock: ctx.clock });
  }

  get state(): CircuitState {
    return this.machine.state;
  }

  get hasCall(): boolean {
    return this.inCall;
  }

  /** Not blocked at either end (whether or not a call is on it). */
  get inService(): boolean {
    return !this.localBlocked && !this.remoteBlocked;
  }

  /** Free for an outgoing call: idle and not blocked at either end. */
  get available(): boolean {
    return this.state === 'idle' && !this.localBlocked && !this.remoteBlocked;
  }

  /** IAM, then (overlap send) each SAM: T7 runs from the last address message (Q.764 2.1.1.2). */
  setup(iamParams: Partial<Record<ParamName, Uint8Array>>, sams: readonly Uint8Array[] = []): void {
    this.machine.transition('iam-out');
    this.inCall = true;
    this.ctx.send('IAM', iamParams);
    for (const subsequentNumber of sams) this.ctx.send('SAM', { subsequentNumber });
    this.timer('T7', () => this.release(Q850.RECOVERY_ON_TIMER_EXPIRY));
  }

  /** Incoming call: the called party is being alerted (ACM subscriber free, or CPG alerting after an ACM). */
  alert(): void {
    if (this.alertSent) return;
    if (this.state === 'incoming-alerting') {
      this.alertSent = true;
      this.ctx.send('CPG', { eventInformation: Uint8Array.of(EVENT.alerting) });
      return;
    }
    if (this.state !== 'incoming-setup') return;
    this.machine.transition('acm-out');
    this.acmSent = true;
    this.alertSent = true;
    this.ctx.send('ACM', { backwardCallIndicators: encodeBackwardCallIndicators({ subscriberFree: true, charge: true }) });
  }

  /**
   * Incoming call: address complete, the called party's state not known yet (ACM with
   * no indication), so the caller's T7 stops while we route the call; alert() then
   * sends CPG alerting.
   */
  proceeding(): void {
    if (this.state !== 'incoming-setup') return;
    this.machine.transition('acm-out');
    this.acmSent = true;
    this.ctx.send('ACM', { backwardCallIndicators: encodeBackwardCallIndicators({ subscriberFree: false, charge: true }) });
  }

  /** Incoming call: in-band information (a tone or announcement) is on the line: CPG after the ACM. */
  progress(inband = true): void {
    if (this.state === 'incoming-setup') this.proceeding();
    if (this.state !== 'incoming-alerting') return;
    this.ctx.send('CPG', { eventInformation: Uint8Array.of(inband ? EVENT.inband : EVENT.progress) });
  }

  answer(): void {
    if (this.state !== 'incoming-setup' && this.state !== 'incoming-alerting') return;
    // ACM then ANM rather than CON: what exchanges (and libss7, which crashes on an
    // incoming CON) expect from a terminating point.
    if (!this.acmSent) this.ctx.send('ACM', { backwardCallIndicators: Uint8Array.of(0x16, 0x14) });
    this.acmSent = true;
    this.machine.transition('answer');
    this.ctx.send('ANM');
  }

  /** Our side clears: REL, then RLC ends the call. Idempotent. */
  release(cause: number): void {
    if (this.state === 'idle' || this.state === 'releasing' || this.state === 'resetting') return;
    this.stopCallTimers();
    this.machine.transition('release', `cause ${cause}`);
    this.releaseCause = cause;
    this.sendRel();
    this.timer('T5', () => {
      this.machine.stopTimer('T1');
      this.finish(this.releaseCause, 'local');
      this.reset();
    });
  }

  /** Sends RSC (a circuit reset), ending any call on it. */
  reset(): void {
    this.stopCallTimers();
    this.finish(this.state === 'releasing' ? this.releaseCause : Q850.TEMPORARY_FAILURE, 'local');
    this.machine.stopTimer('T1');
    this.machine.stopTimer('T5');
    this.machine.transition('reset');
    this.ctx.send('RSC');
    this.timer('T16', () => this.reset());
  }

  /** Clears the circuit without signalling (the link set went down). */
  drop(): void {
    this.machine.stopAllTimers();
    this.inCall = false;
    if (this.state !== 'idle') this.machine.transition('reset-in', 'link set down');
  }

  /** RSC or GRS from the far end: any call is gone. */
  remoteReset(): void {
    this.machine.stopAllTimers();
    // Reset before any backward message: the call never reached anyone, so it is
    // repeated on another circuit (Q.764 automatic repeat attempt), as after glare.
    this.finish(this.state === 'outgoing-setup' ? Q850.REQUESTED_CHANNEL_UNAVAILABLE : Q850.TEMPORARY_FAILURE, 'remote');
    this.machine.transition('reset-in');
    this.remoteBlocked = false;
  }

  receive(m: IsupMessage): void {
    switch (m.type) {
      case 'IAM':
        return this.incomingIam(m);
      case 'SAM':
        return this.subsequentAddress(m);
      case 'ACM': {
        if (this.state !== 'outgoing-setup') return;
        this.machine.stopTimer('T7');
        this.machine.transition('acm-in');
        this.timer('T9', () => this.release(Q850.NO_ANSWER));
        const bci = decodeBackwardCallIndicators(m.params.backwardCallIndicators!);
        return this.ctx.report({ type: bci.subscriberFree ? 'alerting' : 'proceeding' });
      }
      case 'CPG': {
        if (this.state !== 'outgoing-alerting' && this.state !== 'outgoing-setup') return;
        const ev = m.params.eventInformation![0] & 0x7f;
        return this.ctx.report({ type: ev === EVENT.alerting ? 'alerting' : 'progress' });
      }
      case 'ANM':
      case 'CON':
        if (this.state !== 'outgoing-setup' && this.state !== 'outgoing-alerting') return;
        this.stopCallTimers();
        this.machine.transition('answer');
        return this.ctx.report({ type: 'answered' });
      case 'SUS':
        if (this.state !== 'answered') return;
        this.machine.transition('suspend');
        return this.timer('T6', () => this.release(Q850.RECOVERY_ON_TIMER_EXPIRY));
      case 'RES':
        if (this.state !== 'suspended') return;
        this.machine.stopTimer('T6');
        this.machine.transition('resume');
        return;
      case 'CCL':
        // China: the calling party hung up on an answered incoming call.
        if (this.state === 'answered' || this.state === 'suspended') this.release(Q850.NORMAL_CLEARING);
        return;
      case 'MPM':
        this.meteringPulses++;
        return;
      case 'REL': {
        const cause = decodeCause(m.params.causeIndicators!);
        this.ctx.send('RLC');
        if (this.state === 'resetting') return;
        this.stopCallTimers();
        this.machine.stopTimer('T1');
        this.machine.stopTimer('T5');
        const wasReleasing = this.state === 'releasing';
        this.machine.transition('remote-release', `cause ${cause}`);
        return this.finish(wasReleasing ? this.releaseCause : cause, wasReleasing ? 'local' : 'remote');
      }
      case 'RLC':
        // Only a REL or RSC of ours is answered by RLC; a stray one is ignored.
        if (this.state !== 'releasing' && this.state !== 'resetting') return;
        this.machine.stopAllTimers();
        if (this.state === 'releasing') this.finish(this.releaseCause, 'local');
        this.machine.transition('rlc');
        return;
      default:
        return;
    }
  }

  private incomingIam(m: IsupMessage): void {
    if (this.state === 'outgoing-setup') {
      if (this.ctx.controlsDualSeizure) return; // the far end backs off and retries elsewhere
      this.stopCallTimers();
      this.finish(Q850.REQUESTED_CHANNEL_UNAVAILABLE, 'remote');
    } else if (this.state !== 'idle') return;
    this.machine.transition('iam-in');
    this.acmSent = false;
    this.alertSent = false;
    const called = m.params.calledPartyNumber;
    const digits = called ? decodePartyNumber(called, 'called party number').digits : '';
    const min = this.ctx.overlapMinDigits;
    if (min !== undefined && called && !endsWithSt(called, 'called') && digits.length < min) {
      this.collecting = { iam: m, digits };
      this.timer('T35', () => this.addressIncomplete());
      return;
    }
    this.offer(m, digits);
  }

  /** Overlap receive: a SAM's digits; the call is offered once the number is complete. */
  private subsequentAddress(m: IsupMessage): void {
    const c = this.collecting;
    if (!c || this.state !== 'incoming-setup' || !m.params.subsequentNumber) return;
    c.digits += decodeSubsequentNumber(m.params.subsequentNumber);
    if (endsWithSt(m.params.subsequentNumber, 'subsequent') || c.digits.length >= this.ctx.overlapMinDigits!) {
      this.machine.stopTimer('T35');
      this.collecting = undefined;
      return this.offer(c.iam, c.digits);
    }
    this.timer('T35', () => this.addressIncomplete());
  }

  /** T35: the number never completed. Nothing was offered upward: released 28 on the line only. */
  private addressIncomplete(): void {
    this.collecting = undefined;
    this.release(Q850.INVALID_NUMBER_FORMAT);
  }

  private offer(m: IsupMessage, digits: string): void {
    this.inCall = true;
    this.ctx.report({ type: 'offered', called: m, digits });
  }

  private sendRel(): void {
    this.ctx.send('REL', { causeIndicators: encodeCause(this.releaseCause) });
    this.timer('T1', () => this.sendRel());
  }

  private finish(cause: number, by: 'local' | 'remote'): void {
    if (!this.inCall) return;
    this.inCall = false;
    this.ctx.report({ type: 'released', cause, by });
  }

  private stopCallTimers(): void {
    this.collecting = undefined;
    for (const t of ['T6', 'T7', 'T9', 'T35']) this.machine.stopTimer(t);
  }

  private timer(name: keyof IsupTimers, fn: () => void): void {
    this.machine.startTimer(name, this.ctx.timers[name], fn);
  }
}
