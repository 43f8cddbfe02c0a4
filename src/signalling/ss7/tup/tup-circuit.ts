import { Clock } from '../../../core/clock';
import { Q850 } from '../../../core/q850';
import { StateMachine, TransitionTable } from '../../../core/state-machine';
import { UserPartEvent } from '../user-part';
import { TUP_FAILURE_CAUSES, tupFailureSignal } from './tup-causes';
import { TupMessage } from './tup-messages';

/**
 * TUP timers (ms): ACM awaited after the IAI, RLG awaited after CLF/RSC, RLG retries
 * before a reset, GSM awaited after our GRQ, a blocking acknowledgement awaited before
 * the (group) blocking message is sent again.
 */
export interface TupTimers {
  acm: number;
  rlg: number;
  rlgRetries: number;
  gsm: number;
  blockAck: number;
}
export const TUP_TIMERS: TupTimers = { acm: 30_000, rlg: 15_000, rlgRetries: 4, gsm: 10_000, blockAck: 15_000 };

/** GRQ request bits: calling party category, calling line identity. */
export const GRQ_CATEGORY = 0x01;
export const GRQ_CLI = 0x02;

export type TupCircuitState =
  | 'idle'
  | 'outgoing-setup'
  | 'outgoing-alerting'
  | 'incoming-setup'
  | 'incoming-alerting'
  | 'answered'
  | 'clearing'
  | 'backward-clearing'
  | 'resetting';
type Stimulus = 'seize-out' | 'seize-in' | 'acm' | 'answer' | 'clear' | 'back-clear' | 'released' | 'reset' | 'reset-in';

const TABLE: TransitionTable<TupCircuitState, Stimulus> = {
  idle: { 'seize-out': 'outgoing-setup', 'seize-in': 'incoming-setup', reset: 'resetting', 'reset-in': 'idle', released: 'idle' },
  'outgoing-setup': {
    acm: 'outgoing-alerting',
    answer: 'answered',
    clear: 'clearing',
    'seize-in': 'incoming-setup',
    reset: 'resetting',
    'reset-in': 'idle',
  },
  'outgoing-alerting': { answer: 'answered', clear: 'clearing', reset: 'resetting', 'reset-in': 'idle' },
  'incoming-setup': {
    acm: 'incoming-alerting',
    answer: 'answered',
    'back-clear': 'backward-clearing',
    released: 'idle',
    reset: 'resetting',
    'reset-in': 'idle',
  },
  'incoming-alerting': { answer: 'answered', 'back-clear': 'backward-clearing', released: 'idle', reset: 'resetting', 'reset-in': 'idle' },
  answered: { clear: 'clearing', 'back-clear': 'backward-clearing', released: 'idle', reset: 'resetting', 'reset-in': 'idle' },
  clearing: { released: 'idle', clear: 'clearing', reset: 'resetting', 'reset-in': 'idle' },
  'backward-clearing': { released: 'idle', reset: 'resetting', 'reset-in': 'idle' },
  resetting: { released: 'idle', reset: 'resetting', 'reset-in': 'idle' },
};

type Outgoing = Omit<TupMessage, 'cic'>;
type CircuitReport =
  Exclude<UserPartEvent, { cic: number; type: 'circuit' } | { type: 'error' }> extends infer E
    ? E extends { cic: number }
      ? Omit<E, 'cic'>
      : never
    : never;

export interface TupCircuitContext {
  clock: Clock;
  timers: TupTimers;
  send(m: Outgoing): void;
  report(ev: CircuitReport): void;
  controlsDualSeizure: boolean;
  /** Our calling party category and CLI for GSM answers. */
  category: number;
  /** An incoming IAM without the caller's number is met with GRQ; the call is offered once GSM answers (or T-gsm expires). */
  requestCli?: boolean;
}

/** One China TUP circuit's call control; see tup-circuit.fsm. */
export class TupCircuit {
  readonly machine: StateMachine<TupCircuitState, Stimulus>;
  localBlocked = false;
  remoteBlocked = false;
  private inCall = false;
  private outgoing = false;
  private cause: number = Q850.NORMAL_CLEARING;
  private callerId = '';
  private rlgTries = 0;
  private clearedBy: 'local' | 'remote' = 'local';
  /** Incoming call held while our GRQ awaits the GSM: the called number. */
  private awaitingGsm?: string;

  constructor(
    readonly cic: number,
    private readonly ctx: TupCircuitContext,
  ) {
    this.machine = new StateMachine(`tup cic ${cic}`, TABLE, 'idle', { clock: ctx.clock });
  }

  get state(): TupCircuitState {
    return this.machine.state;
  }

  get hasCall(): boolean {
    return this.inCall;
  }

  get inService(): boolean {
    return !this.localBlocked && !this.remoteBlocked;
  }

  get available(): boolean {
    return this.state === 'idle' && this.inService;
  }

  setup(called: string, calling?: string): void {
    this.machine.transition('seize-out');
    this.inCall = true;
    this.outgoing = true;
    this.callerId = calling ?? '';
    // IAI carries the CLI at once (China exchanges want it); IAM when there is none.
    this.ctx.send(
      calling
        ? { type: 'IAI', category: this.ctx.category, nature: 2, digits: called, cli: { digits: calling, nature: 2, restricted: false } }
        : { type: 'IAM', category: this.ctx.category, nature: 2, digits: called },
    );
    this.machine.startTimer('acm', this.ctx.timers.acm, () => this.clearForward(Q850.RECOVERY_ON_TIMER_EXPIRY, 'local'));
  }

  alert(): void {
    if (this.state !== 'incoming-setup') return;
    this.machine.transition('acm');
    this.ctx.send({ type: 'ACM', acm: { kind: 1, subscriberFree: true } });
  }

  answer(): void {
    if (this.state !== 'incoming-setup' && this.state !== 'incoming-alerting') return;
    this.machine.transition('answer');
    this.ctx.send({ type: 'ANC' });
  }

  /** Our side ends the call: CLF forward, or a backward signal / CBK on an incoming call. */
  release(cause: number): void {
    if (!this.inCall) return;
    if (this.outgoing) return this.clearForward(cause, 'local');
    if (this.state === 'backward-clearing') return;
    this.cause = cause;
    const answered = this.state === 'answered';
    this.machine.transition('back-clear', `cause ${cause}`);
    this.ctx.send({ type: answered ? 'CBK' : tupFailureSignal(cause) });
  }

  reset(): void {
    this.awaitingGsm = undefined;
    this.machine.stopAllTimers();
    this.finish(this.state === 'clearing' ? this.cause : Q850.TEMPORARY_FAILURE, 'local');
    this.machine.transition('reset');
    this.ctx.send({ type: 'RSC' });
    this.machine.startTimer('rlg', this.ctx.timers.rlg, () => this.reset());
  }

  drop(): void {
    this.awaitingGsm = undefined;
    this.machine.stopAllTimers();
    this.inCall = false;
    if (this.state !== 'idle') this.machine.transition('reset-in', 'link set down');
  }

  remoteReset(): void {
    this.awaitingGsm = undefined;
    this.machine.stopAllTimers();
    this.finish(this.state === 'outgoing-setup' ? Q850.REQUESTED_CHANNEL_UNAVAILABLE : Q850.TEMPORARY_FAILURE, 'remote');
    this.machine.transition('reset-in');
    this.remoteBlocked = false;
  }

  receive(m: TupMessage): void {
    const failure = TUP_FAILURE_CAUSES[m.type];
    if (failure !== undefined) {
      if (this.outgoing && (this.state === 'outgoing-setup' || this.state === 'outgoing-alerting')) this.clearForward(failure, 'remote');
      return;
    }
    switch (m.type) {
      case 'IAM':
      case 'IAI':
        return this.seized(m);
      case 'GSM':
        return this.gsmReceived(m);
      case 'GRQ':
        if (this.state === 'outgoing-setup')
          this.ctx.send({
            type: 'GSM',
            category: this.ctx.category,
            cli: m.request! & 0x02 && this.callerId ? { digits: this.callerId, nature: 2, restricted: false } : undefined,
          });
        return;
      case 'ACM':
        if (this.state !== 'outgoing-setup') return;
        this.machine.transition('acm');
        return this.ctx.report({ type: m.acm?.subscriberFree ? 'alerting' : 'proceeding' });
      case 'ANC':
      case 'ANN':
      case 'ANU':
        if (this.state !== 'outgoing-setup' && this.state !== 'outgoing-alerting') return;
        this.machine.stopTimer('acm');
        this.machine.transition('answer');
        return this.ctx.report({ type: 'answered' });
      case 'CBK':
        if (this.outgoing && this.state === 'answered') this.clearForward(Q850.NORMAL_CLEARING, 'remote');
        return;
      case 'CLF': {
        this.ctx.send({ type: 'RLG' });
        if (this.outgoing || !this.machine.can('released')) return;
        const refusedByUs = this.state === 'backward-clearing';
        this.machine.stopAllTimers();
        this.machine.transition('released');
        return this.finish(refusedByUs ? this.cause : Q850.NORMAL_CLEARING, refusedByUs ? 'local' : 'remote');
      }
      case 'RLG':
        if (this.state !== 'clearing' && this.state !== 'resetting') return;
        this.machine.stopAllTimers();
        if (this.state === 'clearing') this.finish(this.cause, this.clearedBy);
        this.machine.transition('released');
        return;
      default:
        return;
    }
  }

  private seized(m: TupMessage): void {
    if (this.state === 'outgoing-setup') {
      if (this.ctx.controlsDualSeizure) return;
      this.machine.stopAllTimers();
      this.finish(Q850.REQUESTED_CHANNEL_UNAVAILABLE, 'remote');
    } else if (this.state !== 'idle') return;
    this.machine.transition('seize-in');
    this.outgoing = false;
    this.cause = Q850.NORMAL_CLEARING;
    if (this.ctx.requestCli && !m.cli?.digits) {
      // Ask the originating exchange who is calling (GRQ), and offer the call with its answer.
      this.awaitingGsm = m.digits ?? '';
      this.ctx.send({ type: 'GRQ', request: GRQ_CATEGORY | GRQ_CLI });
      this.machine.startTimer('gsm', this.ctx.timers.gsm, () => this.offer(this.awaitingGsm ?? '', undefined));
      return;
    }
    this.offer(m.digits ?? '', m.cli?.digits || undefined);
  }

  private gsmReceived(m: TupMessage): void {
    if (this.awaitingGsm === undefined || this.state !== 'incoming-setup') return;
    this.machine.stopTimer('gsm');
    this.offer(this.awaitingGsm, m.cli?.digits || undefined);
  }

  private offer(number: string, callerId: string | undefined): void {
    this.awaitingGsm = undefined;
    this.inCall = true;
    this.ctx.report({ type: 'offered', number, callerId });
  }

  /** CLF: the forward clear that every outgoing call ends with; RLG completes it. */
  private clearForward(cause: number, by: 'local' | 'remote'): void {
    if (this.state === 'clearing' || !this.machine.can('clear')) return;
    this.machine.stopTimer('acm');
    this.cause = cause;
    this.clearedBy = by;
    this.rlgTries = 0;
    this.machine.transition('clear', `cause ${cause}`);
    this.sendClf();
  }

  private sendClf(): void {
    this.ctx.send({ type: 'CLF' });
    this.machine.startTimer('rlg', this.ctx.timers.rlg, () =>
      ++this.rlgTries >= this.ctx.timers.rlgRetries ? this.reset() : this.sendClf(),
    );
  }

  private finish(cause: number, by: 'local' | 'remote'): void {
    if (!this.inCall) return;
    this.inCall = false;
    this.ctx.report({ type: 'released', cause, by });
  }
}
