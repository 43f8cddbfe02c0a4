import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { HistoryEntry, StateMachine, TransitionTable } from '../core/state-machine';
import type { SeatEndpoint } from '../../drivers/ports/media-port';
import type { SeatAnswering } from './seat-answering';
import { Emitter, Unsubscribe } from '../core/emitter';

/**
 * An agent seat: where an agent sits (an FXS port on a board, a remote number, or a
 * simulated agent) and what it is doing.
 *
 * state       event              next        why
 * logged-out  login              ready       the agent signed in
 * ready       reserve            reserved    picked for a call (predictive) or a preview
 * reserved    release-reserve    ready       the call it was kept for did not come
 * reserved    connect            talking     the trunk channel was bridged to the seat
 * talking     call-ended         wrap-up     either side hung up, transfer out, or a trunk fault
 * wrap-up     wrap-done          ready       after-call work finished (or its timer ran out)
 * ready/wrap-up/reserved  force-busy  paused  agent or supervisor paused the seat
 * paused/wrap-up  force-ready    ready       supervisor or agent made the seat available
 * ready/paused/wrap-up  logout   logged-out
 *
 * A seat never waits on the trunk to leave `talking`: whatever ends the call
 * (hang-up, fault, link down) sends `call-ended`, and wrap-up has its own timer.
 */
export type SeatState = 'logged-out' | 'ready' | 'reserved' | 'talking' | 'wrap-up' | 'paused';
export type SeatEvent =
  'login' | 'logout' | 'reserve' | 'release-reserve' | 'connect' | 'call-ended' | 'wrap-done' | 'force-busy' | 'force-ready';

export const SEAT_TRANSITIONS: TransitionTable<SeatState, SeatEvent> = {
  'logged-out': { login: 'ready' },
  ready: { reserve: 'reserved', 'force-busy': 'paused', logout: 'logged-out', 'force-ready': 'ready' },
  reserved: { connect: 'talking', 'release-reserve': 'ready', 'force-busy': 'paused' },
  talking: { 'call-ended': 'wrap-up' },
  'wrap-up': { 'wrap-done': 'ready', 'force-busy': 'paused', 'force-ready': 'ready', logout: 'logged-out' },
  paused: { 'force-ready': 'ready', logout: 'logged-out', 'force-busy': 'paused' },
};

/** How the seat's own line is reached (declared with the media port that reaches it). */
export type { SeatEndpoint };

export interface SeatOptions {
  clock: Clock;
  /** Smaller is served first under the priority strategy. */
  priority?: number;
  /** After-call work is ended for the agent after this long (default 120 s). */
  maxWrapSec?: number;
  /** A reservation not used within this long is given back (default 120 s: longer than any ring time). */
  reserveTimeoutSec?: number;
}

export class Seat {
  private readonly fsm: StateMachine<SeatState, SeatEvent>;
  private readonly changes = new Emitter<[seat: Seat, entry: HistoryEntry<SeatState, SeatEvent>]>();
  readonly priority: number;
  /** When the seat entered its current state. */
  since: number;
  /** Id of the trunk call the seat is reserved for or talking on. */
  callId: string | undefined;
  /** Calls the seat has taken, and when it last finished one (answer-group strategies). */
  answeredCount = 0;
  lastServedAt = Number.NEGATIVE_INFINITY;
  /** When the current call was connected (ms), for handle-time statistics. */
  talkStartedAt: number | undefined;
  /** Why the seat is paused ("not ready"): the agent's reason, 'handset off hook', 'no answer', ... */
  pauseReason: string | undefined;
  /** How the agent is alerted to an offered call (a ringing phone, a call-out); none: takes it at once. */
  answering: SeatAnswering | undefined;
  /** A force-busy asked for while talking: applied when the call ends (with its reason). */
  private pauseAfterCall: string | false = false;

  constructor(
    readonly id: string,
    readonly endpoint: SeatEndpoint,
    private readonly opts: SeatOptions,
  ) {
    this.priority = opts.priority ?? 100;
    this.since = opts.clock.now();
    this.fsm = new StateMachine(`seat ${id}`, SEAT_TRANSITIONS, 'logged-out', {
      clock: opts.clock,
      historySize: 16,
      onTransition: (e) => {
        this.since = e.at;
        this.pauseReason = e.to === 'paused' ? e.note : undefined;
        this.changes.emit(this, e);
      },
    });
  }

  get state(): SeatState {
    return this.fsm.state;
  }

  get isReady(): boolean {
    return this.fsm.state === 'ready';
  }

  onChange(listener: (seat: Seat, entry: HistoryEntry<SeatState, SeatEvent>) => void): Unsubscribe {
    return this.changes.on(listener);
  }

  history(): HistoryEntry<SeatState, SeatEvent>[] {
    return this.fsm.history();
  }

  login(): void {
    this.fsm.transition('login');
  }

  logout(): void {
    this.fsm.stopAllTimers();
    this.fsm.transition('logout');
  }

  /** Stops the seat's timers (wrap-up, reservation) when its gateway closes; its state stays as it was. */
  close(): void {
    this.fsm.stopAllTimers();
  }

  /** Keeps the seat for a call; the reservation lapses if nothing connects in time. */
  reserve(callId: string): void {
    this.fsm.transition('reserve', callId);
    this.callId = callId;
    this.fsm.startTimer('reservation', (this.opts.reserveTimeoutSec ?? 120) * 1000, () => this.releaseReservation('reservation timed out'));
  }

  releaseReservation(note?: string): void {
    if (this.fsm.state !== 'reserved') return;
    this.fsm.stopTimer('reservation');
    this.callId = undefined;
    this.fsm.transition('release-reserve', note);
  }

  connect(): void {
    this.fsm.stopTimer('reservation');
    this.talkStartedAt = this.opts.clock.now();
    this.fsm.transition('connect', this.callId);
  }

  /** The call on this seat ended, however it ended; wrap-up follows and is time-limited. */
  callEnded(note?: string): void {
    if (this.fsm.state !== 'talking') return;
    this.answeredCount++;
    this.lastServedAt = this.opts.clock.now();
    this.callId = undefined;
    this.fsm.transition('call-ended', note);
    if (this.pauseAfterCall !== false) {
      const reason = this.pauseAfterCall;
      this.pauseAfterCall = false;
      this.fsm.transition('force-busy', reason);
      return;
    }
    this.fsm.startTimer('wrap-up', (this.opts.maxWrapSec ?? 120) * 1000, () => this.wrapDone('wrap-up time limit'));
  }

  wrapDone(note?: string): void {
    if (this.fsm.state !== 'wrap-up') return;
    this.fsm.stopTimer('wrap-up');
    this.fsm.transition('wrap-done', note);
  }

  /** Pause ("force busy"): at once, or after the current call when talking. */
  forceBusy(note?: string): void {
    if (this.fsm.state === 'talking') {
      this.pauseAfterCall = note ?? 'paused after the call as asked';
      return;
    }
    if (this.fsm.state === 'logged-out') throw new InputError(`seat ${this.id}`, 'is logged out');
    if (this.fsm.state === 'reserved') this.fsm.stopTimer('reservation');
    this.fsm.stopTimer('wrap-up');
    this.callId = this.fsm.state === 'reserved' ? undefined : this.callId;
    this.fsm.transition('force-busy', note);
  }

  /** Make available ("force ready"): from paused or wrap-up; cancels a pending pause. */
  forceReady(note?: string): void {
    this.pauseAfterCall = false;
    if (this.fsm.state === 'talking' || this.fsm.state === 'reserved') return;
    if (this.fsm.state === 'logged-out') throw new InputError(`seat ${this.id}`, 'is logged out');
    this.fsm.stopTimer('wrap-up');
    this.fsm.transition('force-ready', note);
  }
}
