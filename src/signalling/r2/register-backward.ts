import { Clock } from '../../core/clock';
import { StateMachine, TransitionTable } from '../../core/state-machine';
import { signalToDigit } from './mf-tones';
import { R2FaultCode } from './r2-errors';
import { MfGroup, RegisterHooks } from './register-forward';
import { expectedLength, R2Variant } from './variants';

/** See register-backward.fsm. */
export type BackwardRegisterState = 'idle' | 'awaiting' | 'acking' | 'pulsing' | 'deciding' | 'acking-b' | 'complete' | 'failed';
type BackwardRegisterEvent = 'start' | 'ack' | 'acked' | 'pulse' | 'pulsed' | 'decide' | 'answer-b' | 'finish' | 'fail';

const TABLE: TransitionTable<BackwardRegisterState, BackwardRegisterEvent> = {
  idle: { start: 'awaiting', fail: 'failed' },
  awaiting: { ack: 'acking', pulse: 'pulsing', decide: 'deciding', fail: 'failed' },
  acking: { acked: 'awaiting', fail: 'failed' },
  pulsing: { pulsed: 'awaiting', fail: 'failed' },
  deciding: { 'answer-b': 'acking-b', fail: 'failed' },
  'acking-b': { finish: 'complete', fail: 'failed' },
  complete: {},
  failed: {},
};

/** What the backward end tells the forward end about the called line (group B). */
export type CalledLineStatus = 'idle' | 'busy' | 'congestion' | 'vacant' | 'out-of-order';

export interface InboundCallData {
  dnis: string;
  ani: string;
  /** KA, when the forward end sent one. */
  category?: number;
  /** KD (China) / the group II category (ITU). */
  groupBCategory?: number;
}

export interface BackwardRegisterHooks extends RegisterHooks {
  /** The number is complete (by rule or timeout): 'vacant' or 'congestion' refuse it in group A. */
  numberComplete?(dnis: string): 'continue' | 'vacant' | 'congestion';
  /** KD arrived: call decide() within decisionMs. */
  offered(call: InboundCallData): void;
  /** Group B sent and acknowledged. */
  complete(status: CalledLineStatus): void;
  failed(cause: number | undefined, fault?: { code: R2FaultCode; detail: string }): void;
}

type Expecting = 'dnis' | 'category' | 'ani' | 'group-ii';

/** The backward end's register: collects DNIS, KA, ANI and KD and answers with group A and B signals. */
export class BackwardRegister {
  private readonly fsm: StateMachine<BackwardRegisterState, BackwardRegisterEvent>;
  private expecting: Expecting = 'dnis';
  private readonly data: InboundCallData = { dnis: '', ani: '' };
  private dnisComplete = false;
  private aniRequested = false;
  /** Cause to fail with once the forward end has seen our refusal. */
  private refusal: number | undefined;
  private status: CalledLineStatus = 'idle';

  constructor(
    private readonly variant: R2Variant,
    clock: Clock,
    private readonly hooks: BackwardRegisterHooks,
  ) {
    this.fsm = new StateMachine('r2 backward register', TABLE, 'idle', { clock });
  }

  get state(): BackwardRegisterState {
    return this.fsm.state;
  }

  get call(): Readonly<InboundCallData> {
    return this.data;
  }

  start(): void {
    this.fsm.transition('start');
    this.armWait();
  }

  /** The forward detector's output changed (0 = tone gone). */
  onForward(signal: number): void {
    const st = this.fsm.state;
    if (signal !== 0) {
      if (st === 'awaiting') this.respond(signal);
      return;
    }
    if (st === 'acking') {
      this.fsm.stopTimer('cycle');
      this.hooks.send(0);
      if (this.refusal !== undefined) return this.fail(this.refusal);
      this.fsm.transition('acked');
      this.armWait();
    } else if (st === 'acking-b') {
      this.fsm.stopTimer('cycle');
      this.hooks.send(0);
      this.fsm.transition('finish');
      this.fsm.stopAllTimers();
      if (this.status === 'idle') this.hooks.complete('idle');
      else this.hooks.failed(this.causeOf(this.status));
    }
  }

  /** The application's answer to 'offered'. */
  decide(status: CalledLineStatus): void {
    if (this.fsm.state !== 'deciding') return;
    this.fsm.stopTimer('decision');
    this.status = status;
    const b = this.variant.backward.groupB;
    const signal = { idle: b.idle, busy: b.busy, congestion: b.congestion, vacant: b.vacant, 'out-of-order': b.outOfOrder }[status];
    this.fsm.transition('answer-b');
    this.hooks.traceTx('B', signal, `KB${signal} ${status === 'idle' ? 'called line idle' : status}`);
    this.hooks.send(signal);
    this.fsm.startTimer('cycle', this.variant.timers.mfCycleMs, () =>
      this.fault('mf-timeout', 'KD was not removed after the group B signal'),
    );
  }

  stop(): void {
    this.fsm.stopAllTimers();
    this.hooks.send(0);
  }

  private armWait(): void {
    const t = this.variant.timers;
    if (this.expecting === 'dnis' && this.data.dnis.length > 0) {
      this.fsm.startTimer('cycle', t.dnisTimeoutMs, () => this.numberEndedBySilence());
    } else {
      this.fsm.startTimer('cycle', t.mfCycleMs, () => this.fault('mf-timeout', `no forward signal (expecting ${this.expecting})`));
    }
  }

  private respond(signal: number): void {
    this.fsm.stopTimer('cycle');
    const v = this.variant;
    const b = v.backward;
    switch (this.expecting) {
      case 'dnis': {
        const digit = signalToDigit(signal);
        if (digit !== undefined) {
          this.data.dnis += digit;
          this.hooks.traceRx('I', signal, `DNIS digit ${digit} (${this.data.dnis})`);
          if (this.data.dnis.length > v.maxDnisDigits) return this.refuse(b.congestionA, 'number-too-long');
          const len = expectedLength(v, this.data.dnis);
          if (len !== undefined && this.data.dnis.length >= len) this.dnisComplete = true;
        } else if (signal === v.forward.endOfDnis) {
          this.hooks.traceRx('I', signal, `I-${signal} end of called number`);
          this.dnisComplete = true;
        } else {
          this.hooks.traceRx('I', signal, `I-${signal} unexpected while receiving the called number`);
          return this.refuse(b.congestionA, 'unexpected-signal');
        }
        if (v.requestAniAfterDigits > 0 && !this.aniRequested && (this.data.dnis.length >= v.requestAniAfterDigits || this.dnisComplete)) {
          return this.requestCategory();
        }
        if (this.dnisComplete) return this.numberComplete(false);
        return this.ack(b.nextDnis, 'A', 'send next digit');
      }
      case 'category':
        this.data.category = signal;
        this.hooks.traceRx('II', signal, `KA=${signal} (calling category)`);
        this.expecting = 'ani';
        return this.ack(b.nextAni, 'A', 'send calling digit');
      case 'ani': {
        const digit = signalToDigit(signal);
        if (digit !== undefined) {
          this.data.ani += digit;
          this.hooks.traceRx('I', signal, `ANI digit ${digit} (${this.data.ani})`);
          if (this.data.ani.length > v.maxDnisDigits) return this.refuse(b.congestionA, 'number-too-long');
          return this.ack(b.nextAni, 'A', 'send next calling digit');
        }
        if (signal === v.forward.endOfAni) {
          this.hooks.traceRx('I', signal, `I-${signal} end of calling number (ANI ${this.data.ani || 'none'})`);
          this.expecting = 'dnis';
          if (this.dnisComplete) return this.numberComplete(false);
          return this.ack(b.nextDnis, 'A', 'send next called digit');
        }
        this.hooks.traceRx('I', signal, `I-${signal} unexpected in the calling number`);
        return this.refuse(b.congestionA, 'unexpected-signal');
      }
      case 'group-ii':
        this.data.groupBCategory = signal;
        this.hooks.traceRx('II', signal, `KD=${signal}`);
        this.fsm.transition('decide');
        this.fsm.startTimer('decision', v.timers.decisionMs, () => {
          this.decide('congestion');
        });
        this.hooks.offered({ ...this.data });
        return;
    }
  }

  private requestCategory(pulsed = false): void {
    this.aniRequested = true;
    this.expecting = 'category';
    const s = this.variant.backward.requestCategory;
    if (pulsed) return this.pulse(s, 'send KA (category) and the calling number');
    this.ack(s, 'A', 'send KA (category) and the calling number');
  }

  /** The called number is complete: refuse it in group A, or change over to group B. */
  private numberComplete(pulsed: boolean): void {
    const b = this.variant.backward;
    const verdict = this.hooks.numberComplete?.(this.data.dnis) ?? 'continue';
    if (verdict === 'vacant' && b.vacantA !== undefined) return this.refuse(b.vacantA, undefined, pulsed);
    if (verdict === 'congestion') return this.refuse(b.congestionA, undefined, pulsed);
    this.expecting = 'group-ii';
    if (pulsed) return this.pulse(b.toGroupB, 'address complete, changeover to group B');
    this.ack(b.toGroupB, 'A', 'address complete, changeover to group B');
  }

  private numberEndedBySilence(): void {
    this.dnisComplete = true;
    if (this.variant.requestAniAfterDigits > 0 && !this.aniRequested) return this.requestCategory(true);
    this.numberComplete(true);
  }

  private ack(signal: number, group: MfGroup, meaning: string): void {
    this.fsm.transition('ack');
    this.hooks.traceTx(group, signal, `A${signal} ${meaning}`);
    this.hooks.send(signal);
    this.fsm.startTimer('cycle', this.variant.timers.mfCycleMs, () =>
      this.fault('mf-timeout', `forward signal not removed after A${signal}`),
    );
  }

  private pulse(signal: number, meaning: string): void {
    if (this.fsm.state === 'awaiting') this.fsm.transition('pulse');
    this.hooks.traceTx('A', signal, `A${signal} ${meaning} (pulsed ${this.variant.timers.pulseMs} ms)`);
    this.hooks.send(signal);
    this.fsm.startTimer('cycle', this.variant.timers.pulseMs, () => {
      this.hooks.send(0);
      if (this.refusal !== undefined) return this.fail(this.refusal);
      this.fsm.transition('pulsed');
      this.armWait();
    });
  }

  /** Answers with a refusing group A signal; the call fails once the forward end saw it. */
  private refuse(signal: number, fault?: R2FaultCode, pulsed = false): void {
    const cause = signal === this.variant.backward.vacantA ? 1 : 34;
    this.refusal = cause;
    if (fault) this.faultNoted = { code: fault, detail: `refused with A${signal}` };
    if (pulsed) return this.pulse(signal, cause === 1 ? 'vacant number' : 'congestion');
    this.ack(signal, 'A', cause === 1 ? 'vacant number' : 'congestion');
  }

  private faultNoted: { code: R2FaultCode; detail: string } | undefined;

  private fail(cause: number): void {
    this.fsm.transition('fail');
    this.stop();
    this.hooks.failed(cause, this.faultNoted);
  }

  private fault(code: R2FaultCode, detail: string): void {
    if (!this.fsm.can('fail')) return;
    this.fsm.transition('fail', code);
    this.stop();
    this.hooks.failed(undefined, { code, detail });
  }

  private causeOf(status: CalledLineStatus): number {
    return { idle: 16, busy: 17, congestion: 34, vacant: 1, 'out-of-order': 27 }[status];
  }
}
