import { Clock, systemClock, TimerHandle } from '../../src/core/clock';
import { Logger, silentLogger } from '../../src/core/logger';
import { Q850 } from '../../src/core/q850';
import { No7SpanSignalling } from '../../src/signalling/ss7/no7-span-signalling';
import { SignallingCall, SignallingEvent } from '../../src/signalling/span-signalling';
import { CalleePopulation } from '../callee-population';

export interface SimulatedNo7ExchangeOptions {
  population: CalleePopulation;
  clock?: Clock;
  logger?: Logger;
  /** How long an unanswered call rings before the exchange clears it with cause 19 (ms). */
  noAnswerMs?: number;
  /**
   * Whether the exchange clears a call nobody answers (default true). TUP has no
   * backward signal for it after the ACM (a UBM such as SST reads as another
   * failure), so a TUP exchange leaves it to the caller's ring timer.
   */
  clearsUnanswered?: boolean;
}

interface ExchangeCall {
  token: SignallingCall;
  channel: number;
  number: string;
  timers: TimerHandle[];
  /** A call the exchange placed towards the controller (a customer calling in). */
  incoming?: { answered: (at: number) => void; released: (r: { cause: number; by: 'local' | 'remote' }) => void };
}

/** A call the exchange placed towards the controller, seen from the caller's side. */
export interface No7OriginatedCall {
  readonly channel: number;
  readonly answered: Promise<number>;
  readonly released: Promise<{ cause: number; by: 'local' | 'remote' }>;
  hangup(cause?: number): void;
}

/**
 * A China No.7 exchange behind one span: the same No.7 stack as the controller's
 * (MTP2, MTP3, the user part) with the point codes swapped, answering the
 * controller's calls as the callee population says.
 */
export class SimulatedNo7Exchange {
  private readonly calls = new Map<SignallingCall, ExchangeCall>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  readonly stats = { offered: 0, answered: 0 };

  constructor(
    readonly signalling: No7SpanSignalling,
    private readonly opts: SimulatedNo7ExchangeOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = (opts.logger ?? silentLogger).child({ side: 'exchange' });
    signalling.onEvent((ev) => this.onEvent(ev));
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /** The called numbers of the calls up now. */
  activeNumbers(): string[] {
    return [...this.calls.values()].map((c) => c.number);
  }

  async close(): Promise<void> {
    for (const call of [...this.calls.values()]) this.drop(call);
    await this.signalling.close();
  }

  /** A caller dials `number` towards the controller (an IAM on the lowest free circuit, or the one given). */
  originate(number: string, callerId: string, channel?: number): No7OriginatedCall {
    const busy = new Set([...this.calls.values()].map((c) => c.channel));
    const ch = channel ?? this.signalling.bearerChannels.find((n) => !busy.has(n));
    if (ch === undefined) throw new Error('every circuit of the simulated exchange is busy');
    let answered!: (at: number) => void;
    let released!: (r: { cause: number; by: 'local' | 'remote' }) => void;
    const token = this.signalling.setup(ch, { number, callerId });
    this.calls.set(token, {
      token,
      channel: ch,
      number,
      timers: [],
      incoming: { answered: (at) => answered(at), released: (r) => released(r) },
    });
    return {
      channel: ch,
      answered: new Promise<number>((r) => (answered = r)),
      released: new Promise<{ cause: number; by: 'local' | 'remote' }>((r) => (released = r)),
      hangup: (cause = Q850.NORMAL_CLEARING) => this.signalling.hangup(token, cause),
    };
  }

  private onEvent(ev: SignallingEvent): void {
    switch (ev.type) {
      case 'offered':
        return this.onOffered(ev.call, ev.channel, ev.number);
      case 'answered':
        this.calls.get(ev.call)?.incoming?.answered(this.clock.now());
        return;
      case 'released': {
        const call = this.calls.get(ev.call);
        call?.incoming?.released({ cause: ev.cause, by: ev.by });
        if (call) this.drop(call);
        return;
      }
      case 'link-down':
        for (const call of [...this.calls.values()]) this.drop(call);
        return;
      default:
        return;
    }
  }

  private onOffered(token: SignallingCall, channel: number, number: string): void {
    this.stats.offered++;
    const behaviour = this.opts.population.decide(number);
    const call: ExchangeCall = { token, channel, number, timers: [] };
    this.calls.set(token, call);
    const s = this.signalling;
    switch (behaviour.kind) {
      case 'unallocated':
        return s.hangup(token, Q850.UNALLOCATED);
      case 'congestion':
        return s.hangup(token, Q850.SWITCH_CONGESTION);
      case 'busy':
        return s.hangup(token, Q850.USER_BUSY);
      case 'absent':
        return s.hangup(token, Q850.SUBSCRIBER_ABSENT);
      case 'no_answer':
        s.alert(token);
        if (this.opts.clearsUnanswered !== false) this.after(call, this.opts.noAnswerMs ?? 60_000, () => s.hangup(token, Q850.NO_ANSWER));
        return;
      case 'answer': {
        const answer = () => {
          this.stats.answered++;
          s.answer(token);
          this.after(call, behaviour.talkMs, () => s.hangup(token, Q850.NORMAL_CLEARING));
        };
        if (behaviour.ringMs <= 0) return answer(); // CON straight after the IAM
        s.alert(token);
        this.after(call, behaviour.ringMs, answer);
        return;
      }
    }
  }

  private after(call: ExchangeCall, ms: number, fn: () => void): void {
    call.timers.push(
      this.clock.setTimer(ms, () => {
        if (this.calls.get(call.token) === call) fn();
      }),
    );
  }

  private drop(call: ExchangeCall): void {
    call.incoming?.released({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'remote' });
    for (const t of call.timers) t.cancel();
    this.calls.delete(call.token);
    this.logger.debug('call gone', { channel: call.channel });
  }
}
