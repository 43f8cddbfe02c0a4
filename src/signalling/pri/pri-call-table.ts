import { Pointer } from '../../../drivers/libpri/ffi';
import { SignallingCall } from '../span-signalling';

/**
 * What a PRI signalling module must remember of each libpri call so that the
 * call's `q931_call *` is freed exactly once, whatever order the far end, the
 * controller and the link do things in.
 */
export interface PriCallRecord {
  readonly token: SignallingCall;
  readonly ptr: Pointer;
  channel: number;
  answered: boolean;
  /** Who started clearing, with which cause (set once, by the first side to clear). */
  clearing?: { by: 'local' | 'remote'; cause: number };
  /** An offered call we have not yet answered with PROCEEDING, ALERTING or CONNECT. */
  unanswered: boolean;
  /** We have called pri_hangup() for this call. */
  hangupSent: boolean;
  /** Written off by the controller after link loss; libpri clears it on its own. */
  orphaned: boolean;
}

let nextId = 1;

export class PriCallTable {
  private readonly byPtr = new Map<Pointer, PriCallRecord>();
  private readonly byToken = new Map<SignallingCall, PriCallRecord>();

  add(ptr: Pointer, channel: number, offered = false): PriCallRecord {
    const rec: PriCallRecord = { token: { id: nextId++ }, ptr, channel, answered: false, unanswered: offered, hangupSent: false, orphaned: false };
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
  return RELEASED_AT_ONCE.has(cause) && !rec.answered && rec.clearing?.by !== 'remote';
}
