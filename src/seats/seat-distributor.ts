import { Clock, TimerHandle } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { AnswerGroup } from './answer-group';
import { Conference, MediaBridge, TrunkLeg } from '../../drivers/ports/media-port';
import { Seat } from './seat';

/**
 * Hands answered trunk calls to seats. An answered call that finds no ready seat
 * waits at most `abandonAfterSec`; then it hears a recorded message and is counted
 * abandoned. A connected call is bridged to its seat until either side hangs up or
 * the trunk fails; the seat then goes to wrap-up whatever happened on the line.
 */
export type RouteResult =
  | { kind: 'connected'; seat: Seat; waitMs: number }
  | { kind: 'abandoned'; waitMs: number }
  /** The customer hung up (or the line failed) before a seat was connected. */
  | { kind: 'lost'; waitMs: number };

export type DistributorEvent =
  | { type: 'connected'; call: TrunkCall; seat: Seat; waitMs: number }
  | { type: 'abandoned'; call: TrunkCall; waitMs: number }
  | { type: 'lost'; call: TrunkCall; waitMs: number }
  | { type: 'talk-ended'; call: TrunkCall; seat: Seat; talkMs: number; by: 'seat' | 'trunk' | 'fault' | 'supervisor' | 'transfer' };

export interface DistributorOptions {
  clock: Clock;
  group: AnswerGroup;
  bridge: MediaBridge;
  /** Plays the recorded message to a call no seat could take; resolves when it has played. */
  playAbandonMessage: (call: TrunkCall) => Promise<void>;
  /** Tells the customer which agent takes the call ("agent 83"), after the seat is found and before it is put through. */
  announceSeat?: (call: TrunkCall, seat: Seat) => Promise<void>;
  abandonAfterSec?: number;
  logger?: Logger;
}

interface Waiting {
  call: TrunkCall;
  since: number;
  preferredSeatId?: string;
  timer: TimerHandle;
  done: (r: RouteResult) => void;
}

export interface LiveSeatCall {
  seat: Seat;
  call: TrunkCall;
  conference: Conference;
}

export class SeatDistributor {
  private readonly waiting: Waiting[] = [];
  private readonly live = new Map<string, LiveSeatCall>();
  private readonly listeners: ((ev: DistributorEvent) => void)[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly opts: DistributorOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    for (const seat of opts.group.seats)
      seat.onChange((s) => {
        if (s.isReady) this.serveWaiting();
      });
  }

  get group(): AnswerGroup {
    return this.opts.group;
  }

  onEvent(listener: (ev: DistributorEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Answered calls waiting for a seat right now. */
  waitingCount(): number {
    return this.waiting.length;
  }

  liveCall(seatId: string): LiveSeatCall | undefined {
    return this.live.get(seatId);
  }

  liveCalls(): LiveSeatCall[] {
    return [...this.live.values()];
  }

  /** Routes an answered call to a ready seat, waiting up to the abandon limit. */
  route(call: TrunkCall, preferredSeatId?: string): Promise<RouteResult> {
    const since = this.clock.now();
    const seat = this.opts.group.offer(preferredSeatId).seats[0];
    if (seat && this.waiting.length === 0) return this.connect(call, seat, since);
    return new Promise((done) => {
      const timer = this.clock.setTimer((this.opts.abandonAfterSec ?? 2) * 1000, () => this.abandon(entry));
      const entry: Waiting = { call, since, preferredSeatId, timer, done };
      this.waiting.push(entry);
      void call.ended.then(() => {
        const i = this.waiting.indexOf(entry);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        timer.cancel();
        this.emit({ type: 'lost', call, waitMs: this.clock.now() - since });
        done({ kind: 'lost', waitMs: this.clock.now() - since });
      });
    });
  }

  /** Connects a call to a seat already reserved for it (preview mode). */
  connectReserved(call: TrunkCall, seat: Seat): Promise<RouteResult> {
    if (seat.state !== 'reserved') throw new InputError(`seat ${seat.id}`, `is ${seat.state}, not reserved for call ${call.id}`);
    return this.connect(call, seat, this.clock.now(), true);
  }

  /** The agent hung up: the seat goes to wrap-up at once, the trunk call is cleared. */
  hangupFromSeat(seatId: string, by: 'seat' | 'supervisor' = 'seat'): void {
    const live = this.live.get(seatId);
    if (!live) return;
    this.endSeatCall(live, by);
    live.call.hangup(Q850.NORMAL_CLEARING);
  }

  /** Moves a live call to another ready seat; the first seat goes to wrap-up. */
  async transfer(fromSeatId: string, to: Seat): Promise<void> {
    const live = this.live.get(fromSeatId);
    if (!live) throw new InputError(`seat ${fromSeatId}`, 'has no call to transfer');
    if (!to.isReady) throw new InputError(`seat ${to.id}`, `cannot take a transfer while ${to.state}`);
    to.reserve(live.call.id);
    await live.conference.join(to.endpoint, 'talk');
    await live.conference.leave(live.seat.endpoint);
    this.endSeatCall(live, 'transfer');
    if (live.call.state === 'ended') {
      to.releaseReservation('call ended during transfer');
      return;
    }
    this.attach(live.call, to, live.conference);
    to.connect();
  }

  private async connect(call: TrunkCall, seat: Seat, since: number, alreadyReserved = false): Promise<RouteResult> {
    if (!alreadyReserved) seat.reserve(call.id);
    this.opts.group.served(seat);
    const waitMs = this.clock.now() - since;
    if (this.opts.announceSeat) {
      await this.opts.announceSeat(call, seat);
      if (call.state === 'ended') {
        seat.releaseReservation('customer hung up during the agent announcement');
        this.emit({ type: 'lost', call, waitMs });
        return { kind: 'lost', waitMs };
      }
    }
    let conference: Conference;
    try {
      conference = await this.opts.bridge.bridge(legOf(call), seat.endpoint);
    } catch (err) {
      this.logger.warn('bridge failed: call abandoned', { call: call.id, seat: seat.id, err: String(err) });
      seat.releaseReservation('bridge failed');
      return this.abandonNow(call, since);
    }
    if (call.state === 'ended') {
      await conference.close();
      seat.releaseReservation('call ended before the bridge was up');
      this.emit({ type: 'lost', call, waitMs });
      return { kind: 'lost', waitMs };
    }
    this.attach(call, seat, conference);
    seat.connect();
    this.emit({ type: 'connected', call, seat, waitMs });
    return { kind: 'connected', seat, waitMs };
  }

  /** Registers the live call before the seat says it is talking, so listeners can find it. */
  private attach(call: TrunkCall, seat: Seat, conference: Conference): void {
    const live: LiveSeatCall = { seat, call, conference };
    this.live.set(seat.id, live);
    void call.ended.then((r) => {
      if (this.live.get(seat.id) === live) this.endSeatCall(live, r.by === 'fault' ? 'fault' : 'trunk');
    });
  }

  private endSeatCall(live: LiveSeatCall, by: 'seat' | 'trunk' | 'fault' | 'supervisor' | 'transfer'): void {
    if (this.live.get(live.seat.id) !== live) return;
    this.live.delete(live.seat.id);
    if (by !== 'transfer') void live.conference.close();
    const talkMs = this.clock.now() - (live.seat.talkStartedAt ?? this.clock.now());
    live.seat.callEnded(by);
    this.emit({ type: 'talk-ended', call: live.call, seat: live.seat, talkMs, by });
  }

  private serveWaiting(): void {
    while (this.waiting.length) {
      const head = this.waiting[0];
      const seat = this.opts.group.offer(head.preferredSeatId).seats[0];
      if (!seat) return;
      this.waiting.shift();
      head.timer.cancel();
      void this.connect(head.call, seat, head.since).then(head.done);
    }
  }

  private abandon(entry: Waiting): void {
    const i = this.waiting.indexOf(entry);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    void this.abandonNow(entry.call, entry.since).then(entry.done);
  }

  private async abandonNow(call: TrunkCall, since: number): Promise<RouteResult> {
    const waitMs = this.clock.now() - since;
    this.emit({ type: 'abandoned', call, waitMs });
    try {
      await this.opts.playAbandonMessage(call);
    } finally {
      call.hangup(Q850.NORMAL_CLEARING);
    }
    return { kind: 'abandoned', waitMs };
  }

  private emit(ev: DistributorEvent): void {
    for (const l of this.listeners) l(ev);
  }
}

export function legOf(call: TrunkCall): TrunkLeg {
  return { callId: call.id, span: call.span, channel: call.channel };
}
