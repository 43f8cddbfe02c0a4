import { Pointer } from '../../../drivers/libpri/ffi';
import { Clock } from '../../core/clock';
import { StateMachine, TransitionTable } from '../../core/state-machine';
import { SignallingCall } from '../span-signalling';

/**
 * Where one libpri call is, as this module must know it so that the call's
 * `q931_call *` is freed exactly once, whatever order the far end, the controller
 * and the link do things in (pri-call.fsm beside this file):
 *  - offered: an incoming SETUP we have not answered in any way (libpri sends
 *    nothing for a DISCONNECT on such a call);
 *  - pending: our SETUP is out, or we acknowledged theirs (PROCEEDING, ALERTING);
 *  - answered: CONNECT either way;
 *  - releasing: pri_hangup() has been called (by us, or in reply to their DISCONNECT).
 * The record leaves the table when libpri frees the call.
 */
export type PriCallState = 'offered' | 'pending' | 'answered' | 'releasing';
export type PriCallEvent = 'acknowledge' | 'answer' | 'hangup';

export const PRI_CALL_TRANSITIONS: TransitionTable<PriCallState, PriCallEvent> = {
  offered: { acknowledge: 'pending', answer: 'answered', hangup: 'releasing' },
  pending: { acknowledge: 'pending', answer: 'answered', hangup: 'releasing' },
  answered: { acknowledge: 'answered', answer: 'answered', hangup: 'releasing' },
  // A CONNECT can cross our DISCONNECT on the wire.
  releasing: { answer: 'releasing' },
};

export class PriCallRecord {
  readonly token: SignallingCall;
  private readonly fsm: StateMachine<PriCallState, PriCallEvent>;
  /** Who started clearing, with which cause (set once, by the first side to clear). */
  clearing?: { by: 'local' | 'remote'; cause: number };
  /** Written off by the controller after link loss; libpri clears it on its own. */
  orphaned = false;

  constructor(
    readonly ptr: Pointer,
    readonly channel: number,
    offered: boolean,
    clock: Clock,
  ) {
    this.token = { id: nextId++ };
    this.fsm = new StateMachine(`PRI call ${this.token.id} (channel ${channel})`, PRI_CALL_TRANSITIONS, offered ? 'offered' : 'pending', {
      clock,
      historySize: 6,
    });
  }

  get state(): PriCallState {
    return this.fsm.state;
  }

  /** Throws StateTransitionError on a move the table does not allow. */
  apply(event: PriCallEvent, note?: string): PriCallState {
    return this.fsm.transition(event, note);
  }
}

let nextId = 1;

export class PriCallTable {
  constructor(private readonly clock: Clock) {}

  private readonly byPtr = new Map<Pointer, PriCallRecord>();
  private readonly byToken = new Map<SignallingCall, PriCallRecord>();

  add(ptr: Pointer, channel: number, offered = false): PriCallRecord {
    const rec = new PriCallRecord(ptr, channel, offered, this.clock);
    this.byPtr.set(ptr, rec);
    this.byToken.set(rec.token, rec);
    return rec;
  }

  byPointer(ptr: Pointer): PriCallRecord | undefined {
    return this.byPtr.get(ptr);
  }

  get(token: SignallingCall): PriCallRecord | undefined {
    return this.byToken.get(token);
  }

  onChannel(channel: number): PriCallRecord[] {
    return [...this.byPtr.values()].filter((r) => r.channel === channel);
  }

  all(): PriCallRecord[] {
    return [...this.byPtr.values()];
  }

  remove(rec: PriCallRecord): void {
    this.byPtr.delete(rec.ptr);
    this.byToken.delete(rec.token);
  }

  get size(): number {
    return this.byPtr.size;
  }
}

/**
 * Whether pri_hangup() frees the call at once (sending RELEASE COMPLETE) instead of
 * starting DISCONNECT/RELEASE. libpri 1.6 with its default (legacy) hangup handling
 * does so for these causes before the call is answered and before the far end has
 * started clearing (q931.c __q931_hangup). No event follows in that case.
 */
const RELEASED_AT_ONCE = new Set([1, 34, 44, 82]);
export function libpriFreesOnHangup(rec: PriCallRecord, cause: number): boolean {
  return RELEASED_AT_ONCE.has(cause) && rec.state !== 'answered' && rec.clearing?.by !== 'remote';
}
