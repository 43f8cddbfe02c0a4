import { Clock } from '../../core/clock';
import { StateMachine, TransitionTable } from '../../core/state-machine';
import { digitToSignal } from './mf-tones';
import { R2FaultCode } from './r2-errors';
import { GroupAAction, R2Variant } from './variants';

/** See register-forward.fsm. */
export type ForwardRegisterState = 'idle' | 'sending' | 'awaiting-off' | 'silent' | 'pulse' | 'complete' | 'failed';
type ForwardRegisterEvent = 'start' | 'backward-on' | 'send' | 'wait-silent' | 'registered' | 'fail';

const TABLE: TransitionTable<ForwardRegisterState, ForwardRegisterEvent> = {
  idle: { start: 'sending', fail: 'failed' },
  sending: { 'backward-on': 'awaiting-off', fail: 'failed' },
  'awaiting-off': { send: 'sending', 'wait-silent': 'silent', registered: 'complete', fail: 'failed' },
  silent: { 'backward-on': 'pulse', fail: 'failed' },
  pulse: { send: 'sending', 'wait-silent': 'silent', registered: 'complete', fail: 'failed' },
  complete: {},
  failed: {},
};

export interface ForwardCallData {
  dnis: string;
  ani: string;
}

export type MfGroup = 'I' | 'II' | 'A' | 'B';

export interface RegisterHooks {
  /** Set the tone we send (0 = none). */
  send(signal: number): void;
  traceTx(group: MfGroup, signal: number, meaning: string): void;
  traceRx(group: MfGroup, signal: number, meaning: string): void;
}

export interface ForwardRegisterHooks extends RegisterHooks {
  /** Group B "called line idle" (or ITU A6): the call rings. */
  complete(): void;
  /** The backward end refused the call (cause from the signal) or the cycle broke (fault). */
  failed(cause: number | undefined, fault?: { code: R2FaultCode; detail: string }): void;
}

const A_MEANING: Record<GroupAAction['do'], string> = {
  'send-next': 'send next digit',
  'send-next-dnis': 'send next called digit',
  'send-category-then-ani': 'send KA (category) and the calling number',
  'send-category-or-ani': 'send category / next calling digit',
  'group-b': 'address complete, changeover to group B',
  'address-complete': 'address complete, set up speech',
  fail: 'call cannot complete',
};

/** The forward end's register: sends DNIS, KA, ANI and KD as the backward end asks. */
export class ForwardRegister {
  private readonly fsm: StateMachine<ForwardRegisterState, ForwardRegisterEvent>;
  private pointer: 'dnis' | 'ani' = 'dnis';
  private dnisSent = 0;
  private aniSent = 0;
  private categorySent = false;
  private endOfDnisSent = false;
  private group: 'A' | 'B' = 'A';
  private heard = 0;

  constructor(
    private readonly variant: R2Variant,
    private readonly call: ForwardCallData,
    clock: Clock,
    private readonly hooks: ForwardRegisterHooks,
  ) {
    this.fsm = new StateMachine('r2 forward register', TABLE, 'idle', { clock });
  }

  get state(): ForwardRegisterState {
    return this.fsm.state;
  }

  get active(): boolean {
    return this.fsm.state !== 'idle' && this.fsm.state !== 'complete' && this.fsm.state !== 'failed';
  }

  start(): void {
    this.fsm.transition('start');
    this.fsm.startTimer('safety', this.variant.timers.registerSafetyMs, () =>
      this.fault('register-timeout', 'register phase took too long'),
    );
    const first = this.call.dnis[0];
    this.hooks.traceTx('I', digitToSignal(first), `DNIS digit ${first}`);
    this.emit(digitToSignal(first));
    this.dnisSent = 1;
  }

  /** The backward detector's output changed (0 = tone gone). */
  onBackward(signal: number): void {
    const st = this.fsm.state;
    if (signal !== 0) {
      if (st !== 'sending' && st !== 'silent') return;
      this.heard = signal;
      this.traceHeard(signal, st === 'silent');
      this.fsm.transition('backward-on');
      this.hooks.send(0);
      this.fsm.startTimer('cycle', this.variant.timers.mfCycleMs, () =>
        this.fault('mf-timeout', `group ${this.group} signal ${signal} did not end`),
      );
      return;
    }
    if (st === 'awaiting-off' || st === 'pulse') {
      this.fsm.stopTimer('cycle');
      this.act(this.heard);
    }
  }

  stop(): void {
    this.fsm.stopAllTimers();
    this.hooks.send(0);
  }

  private act(signal: number): void {
    if (this.group === 'B') {
      const m = this.variant.groupB[signal];
      if (!m) return this.fault('unexpected-signal', `B${signal} is not defined in variant ${this.variant.name}`);
      if (m.is === 'idle') return this.finish();
      return this.refuse(m.cause);
    }
    const a = this.variant.groupA[signal];
    if (!a) return this.fault('unexpected-signal', `A${signal} is not defined in variant ${this.variant.name}`);
    switch (a.do) {
      case 'send-next':
        return this.sendNext();
      case 'send-next-dnis':
        this.pointer = 'dnis';
        return this.sendNext();
      case 'send-category-then-ani':
        this.pointer = 'ani';
        return this.sendCategory();
      case 'send-category-or-ani':
        if (!this.categorySent) return this.sendCategory();
        this.pointer = 'ani';
        return this.sendNext();
      case 'group-b':
        this.group = 'B';
        return this.send(this.variant.forward.groupBCategory, 'II', `KD=${this.variant.forward.groupBCategory} (category for group B)`);
      case 'address-complete':
        return this.finish();
      case 'fail':
        return this.refuse(a.cause);
    }
  }

  private sendCategory(): void {
    this.categorySent = true;
    this.send(this.variant.forward.category, 'II', `KA=${this.variant.forward.category} (calling category)`);
  }

  private sendNext(): void {
    if (this.pointer === 'ani') {
      const ani = this.call.ani;
      if (this.aniSent < ani.length) {
        const d = ani[this.aniSent++];
        return this.send(digitToSignal(d), 'I', `ANI digit ${d}`);
      }
      this.pointer = 'dnis';
      const end = this.variant.forward.endOfAni;
      if (end !== undefined) return this.send(end, 'I', `I-${end} end of calling number`);
    }
    const dnis = this.call.dnis;
    if (this.dnisSent < dnis.length) {
      const d = dnis[this.dnisSent++];
      return this.send(digitToSignal(d), 'I', `DNIS digit ${d}`);
    }
    const end = this.variant.forward.endOfDnis;
    if (end !== undefined && !this.endOfDnisSent) {
      this.endOfDnisSent = true;
      return this.send(end, 'I', `I-${end} end of called number`);
    }
    // China: no end-of-number signal; the backward end decides and pulses A3.
    this.fsm.transition('wait-silent');
  }

  private send(signal: number, group: 'I' | 'II', meaning: string): void {
    this.fsm.transition('send');
    this.hooks.traceTx(group, signal, meaning);
    this.emit(signal);
  }

  private emit(signal: number): void {
    this.hooks.send(signal);
    this.fsm.startTimer('cycle', this.variant.timers.mfCycleMs, () => this.fault('mf-timeout', `no backward answer to signal ${signal}`));
  }

  private traceHeard(signal: number, pulsed: boolean): void {
    const p = pulsed ? ' (pulsed)' : '';
    if (this.group === 'B') {
      const m = this.variant.groupB[signal];
      const what = !m ? 'undefined' : m.is === 'idle' ? 'called line idle' : `refused, cause ${m.cause}`;
      this.hooks.traceRx('B', signal, `KB${signal} ${what}${p}`);
    } else {
      const a = this.variant.groupA[signal];
      const what = !a ? 'undefined' : a.do === 'fail' ? `${A_MEANING.fail} (cause ${a.cause})` : A_MEANING[a.do];
      this.hooks.traceRx('A', signal, `A${signal} ${what}${p}`);
    }
  }

  private finish(): void {
    this.fsm.transition('registered');
    this.fsm.stopAllTimers();
    this.hooks.complete();
  }

  private refuse(cause: number): void {
    this.fsm.transition('fail');
    this.stop();
    this.hooks.failed(cause);
  }

  private fault(code: R2FaultCode, detail: string): void {
    if (!this.fsm.can('fail')) return;
    this.fsm.transition('fail', code);
    this.stop();
    this.hooks.failed(undefined, { code, detail });
  }
}
