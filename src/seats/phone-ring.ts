import { Clock } from '../core/clock';
import { StateMachine, TransitionTable } from '../core/state-machine';
import { SeatEndpoint } from '../../drivers/ports/media-port';
import { SeatAlert, SeatPhone } from './seat-answering';

/** One seat phone rung for one offered call; the table and its notes: phone-ring.fsm. */
export type PhoneRingState = 'ringing' | 'answered' | 'unanswered' | 'withdrawn';
export type PhoneRingEvent = 'lift' | 'ring-timeout' | 'withdraw';

export const PHONE_RING_TRANSITIONS: TransitionTable<PhoneRingState, PhoneRingEvent> = {
  ringing: { lift: 'answered', 'ring-timeout': 'unanswered', withdraw: 'withdrawn' },
  answered: {},
  unanswered: {},
  withdrawn: {},
};

export class PhoneRing implements SeatAlert {
  readonly answered: Promise<SeatEndpoint | undefined>;
  private readonly fsm: StateMachine<PhoneRingState, PhoneRingEvent>;
  private resolve!: (e: SeatEndpoint | undefined) => void;
  private readonly offHook: () => void;

  constructor(
    callId: string,
    private readonly phone: SeatPhone,
    private readonly endpoint: SeatEndpoint,
    ringMs: number,
    clock: Clock,
  ) {
    this.answered = new Promise((r) => (this.resolve = r));
    this.fsm = new StateMachine(`ring of ${phone.name} for call ${callId}`, PHONE_RING_TRANSITIONS, 'ringing', { clock });
    this.offHook = phone.onHook((up) => {
      if (up) this.end('lift');
    });
    if (phone.offHook) {
      this.end('lift', 'handset already up');
      return;
    }
    this.fsm.startTimer('ring', ringMs, () => this.end('ring-timeout'));
    try {
      phone.ring();
    } catch (err) {
      // A phone that cannot be rung (port in alarm, board gone) counts as not answering.
      this.end('ring-timeout', `the phone could not be rung: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  get state(): PhoneRingState {
    return this.fsm.state;
  }

  withdraw(): void {
    this.end('withdraw');
  }

  private end(event: PhoneRingEvent, note?: string): void {
    if (this.fsm.state !== 'ringing') return;
    this.fsm.stopAllTimers();
    this.offHook();
    this.fsm.transition(event, note);
    try {
      if (event !== 'lift') this.phone.stopRinging();
    } finally {
      this.resolve(event === 'lift' ? this.endpoint : undefined);
    }
  }
}
