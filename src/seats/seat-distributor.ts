import { Clock, TimerHandle } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { AnswerGroup } from './answer-group';
import { Conference, MediaBridge, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { Seat } from './seat';
import { Emitter, Unsubscribe } from '../core/emitter';

/**
 * Hands answered trunk calls to seats. The group's strategy picks the seats to offer a
 * call to (every ready one at once under ring-all); each is alerted by its answering
 * (a phone rings, a remote agent is called out; a seat without one takes the call at
 * once). The first to answer is bridged and the others are withdrawn; a seat that does
 * not answer within `ringSec` is made not ready ('no answer') and the call is offered to
 * the next. A call that finds no ready seat waits at most its limit (`abandonAfterSec`
 * or the route's `maxWaitSec`); then it hears a recorded message and is counted
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
  /** How long a seat is alerted (its phone rings, its agent is called) before it counts as not answering (default 15 s). */
  ringSec?: number;
  logger?: Logger;
}

/** How a call is offered (the seat-offer API inbound routing uses). */
export interface RouteOptions {
  /** The agent who last talked to this customer: offered the call alone when ready. */
  preferredSeatId?: string;
  /** How long the call may wait for a ready seat before the abandon message (default `abandonAfterSec`). */
  maxWaitSec?: number;
}

/** Seat that did not answer an offered call: made not ready with this reason. */
export const NO_ANSWER = 'no answer';

interface Waiting {
  call: TrunkCall;
  since: number;
  opts: RouteOptions;
  timer: TimerHandle;
  done: (r: RouteResult) => void;
}

export interface LiveSeatCall {
  seat: Seat;
  call: TrunkCall;
  conference: Conference;
  /** What the seat joined the conference as (a remote agent's endpoint carries its leg). */
  endpoint: SeatEndpoint;
}

export class SeatDistributor {
  private readonly waiting: Waiting[] = [];
  private readonly live = new Map<string, LiveSeatCall>();
  private readonly events = new Emitter<[ev: DistributorEvent]>((err) =>
    this.logger.error('distributor event listener failed', { error: String(err) }),
  );
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

  onEvent(listener: (ev: DistributorEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Answered calls waiting for a seat right now. */
  waitingCount(): number {
    return this.waiting.length;
  }

  /** When the longest-waiting answered call began to wait, if any waits. */
  oldestWaitingSince(): number | undefined {
    return this.waiting[0]?.since;
  }

  liveCall(seatId: string): LiveSeatCall | undefined {
    return this.live.get(seatId);
  }

  liveCalls(): LiveSeatCall[] {
    return [...this.live.values()];
  }

  /**
   * Routes an answered call to a ready seat, waiting up to the limit. `opts` may be the
   * preferred seat's id alone (the older form).
   */
  route(call: TrunkCall, opts: RouteOptions | string = {}): Promise<RouteResult> {
    const options: RouteOptions = typeof opts === 'string' ? { preferredSeatId: opts } : opts;
    const since = this.clock.now();
    if (this.waiting.length === 0 && this.opts.group.offer(options.preferredSeatId).seats.length)
      return this.offerOrWait(call, since, options);
    return new Promise((done) => this.wait(call, since, options, done));
  }

  private wait(call: TrunkCall, since: number, opts: RouteOptions, done: (r: RouteResult) => void, atHead = false): void {
    const limitMs = (opts.maxWaitSec ?? this.opts.abandonAfterSec ?? 2) * 1000;
    const timer = this.clock.setTimer(Math.max(0, since + limitMs - this.clock.now()), () => this.abandon(entry));
    const entry: Waiting = { call, since, opts, timer, done };
    if (atHead) this.waiting.unshift(entry);
    else this.waiting.push(entry);
    void call.ended.then(() => {
      const i = this.waiting.indexOf(entry);
      if (i < 0) return;
      this.waiting.splice(i, 1);
      timer.cancel();
      this.emit({ type: 'lost', call, waitMs: this.clock.now() - since });
      done({ kind: 'lost', waitMs: this.clock.now() - since });
    });
  }

  /** Offers the call seat by seat (or to all at once) until one answers; waits again when none is left. */
  private async offerOrWait(call: TrunkCall, since: number, opts: RouteOptions): Promise<RouteResult> {
    for (;;) {
      if (call.state === 'ended') {
        const waitMs = this.clock.now() - since;
        this.emit({ type: 'lost', call, waitMs });
        return { kind: 'lost', waitMs };
      }
      const offer = this.opts.group.offer(opts.preferredSeatId);
      if (offer.seats.length === 0) return new Promise((done) => this.wait(call, since, opts, done, true));
      const answered = await this.alert(call, offer.simultaneous ? offer.seats : [offer.seats[0]]);
      if (answered) return this.connect(call, answered.seat, since, answered.endpoint);
    }
  }

  /** Alerts the seats together; the first to answer is kept (still reserved), the rest let go. */
  private async alert(call: TrunkCall, seats: Seat[]): Promise<{ seat: Seat; endpoint: SeatEndpoint } | undefined> {
    for (const seat of seats) seat.reserve(call.id);
    const direct = seats.find((s) => !s.answering);
    const ringMs = (this.opts.ringSec ?? 15) * 1000;
    const alerts = direct ? [] : seats.map((seat) => ({ seat, alert: seat.answering!.alert(call.id, ringMs), missed: false }));
    let winner: { seat: Seat; endpoint: SeatEndpoint } | undefined = direct ? { seat: direct, endpoint: direct.endpoint } : undefined;
    if (!direct)
      winner = await new Promise((done) => {
        let pending = alerts.length;
        let decided = false;
        const decide = (w: { seat: Seat; endpoint: SeatEndpoint } | undefined) => {
          if (decided) return;
          decided = true;
          done(w);
        };
        for (const a of alerts)
          void a.alert.answered.then((endpoint) => {
            // A seat paused or logged out while it rang no longer takes the call, even if lifted.
            const stillOffered = a.seat.state === 'reserved' && a.seat.callId === call.id;
            if (!endpoint && stillOffered) a.missed = !decided;
            if (endpoint && stillOffered) decide({ seat: a.seat, endpoint });
            else if (--pending === 0) decide(undefined);
          });
        void call.ended.then(() => decide(undefined));
      });
    for (const a of alerts) if (a.seat !== winner?.seat) a.alert.withdraw();
    for (const seat of seats) {
      if (seat === winner?.seat) continue;
      seat.answering?.finished(call.id);
      const missed = alerts.find((a) => a.seat === seat)?.missed;
      if (missed && seat.state === 'reserved') {
        this.logger.info('seat did not answer: not ready', { seat: seat.id, call: call.id });
        seat.forceBusy(NO_ANSWER);
      } else seat.releaseReservation(winner ? `seat ${winner.seat.id} answered` : 'call ended while alerting');
    }
    if (winner && call.state === 'ended') {
      winner.seat.answering?.finished(call.id);
      winner.seat.releaseReservation('call ended while alerting');
      return undefined;
    }
    return winner;
  }
  /** Connects a call to a seat already reserved for it (preview mode). */
  async connectReserved(call: TrunkCall, seat: Seat): Promise<RouteResult> {
    if (seat.state !== 'reserved') throw new InputError(`seat ${seat.id}`, `is ${seat.state}, not reserved for call ${call.id}`);
    const since = this.clock.now();
    let endpoint: SeatEndpoint | undefined = seat.endpoint;
    if (seat.answering) endpoint = await seat.answering.alert(call.id, (this.opts.ringSec ?? 15) * 1000).answered;
    if (!endpoint) {
      seat.forceBusy(NO_ANSWER);
      return this.abandonNow(call, since);
    }
    return this.connect(call, seat, since, endpoint);
  }

  /** The agent hung up: the seat goes to wrap-up at once, the trunk call is cleared. */
  hangupFromSeat(seatId: string, by: 'seat' | 'supervisor' = 'seat'): void {
    const live = this.live.get(seatId);
    if (!live) return;
    this.endSeatCall(live, by);
    live.call.hangup(Q850.NORMAL_CLEARING);
  }

  /** Moves a live call to another ready seat (a remote agent is called out first); the first seat goes to wrap-up. */
  async transfer(fromSeatId: string, to: Seat): Promise<void> {
    const live = this.live.get(fromSeatId);
    if (!live) throw new InputError(`seat ${fromSeatId}`, 'has no call to transfer');
    if (!to.isReady) throw new InputError(`seat ${to.id}`, `cannot take a transfer while ${to.state}`);
    to.reserve(live.call.id);
    let endpoint: SeatEndpoint | undefined = to.endpoint;
    if (to.answering) endpoint = await to.answering.alert(live.call.id, (this.opts.ringSec ?? 15) * 1000).answered;
    if (!endpoint) {
      if (to.state === 'reserved') to.forceBusy(NO_ANSWER);
      throw new InputError(`seat ${to.id}`, 'did not answer the transfer; the call stays where it was');
    }
    try {
      await live.conference.join(endpoint, 'talk');
    } catch (err) {
      to.answering?.finished(live.call.id);
      to.releaseReservation('transfer failed');
      throw err;
    }
    await live.conference.leave(live.endpoint);
    this.endSeatCall(live, 'transfer');
    if (live.call.state === 'ended') {
      to.answering?.finished(live.call.id);
      to.releaseReservation('call ended during transfer');
      return;
    }
    this.attach(live.call, to, live.conference, endpoint);
    to.connect();
  }

  private async connect(call: TrunkCall, seat: Seat, since: number, endpoint: SeatEndpoint): Promise<RouteResult> {
    this.opts.group.served(seat);
    const waitMs = this.clock.now() - since;
    if (this.opts.announceSeat) {
      await this.opts.announceSeat(call, seat);
      if (call.state === 'ended') {
        seat.answering?.finished(call.id);
        seat.releaseReservation('customer hung up during the agent announcement');
        this.emit({ type: 'lost', call, waitMs });
        return { kind: 'lost', waitMs };
      }
    }
    let conference: Conference;
    try {
      conference = await this.opts.bridge.bridge(legOf(call), endpoint);
    } catch (err) {
      this.logger.warn('bridge failed: call abandoned', { call: call.id, seat: seat.id, err: String(err) });
      seat.answering?.finished(call.id);
      seat.releaseReservation('bridge failed');
      return this.abandonNow(call, since);
    }
    if (call.state === 'ended') {
      await conference.close();
      seat.answering?.finished(call.id);
      seat.releaseReservation('call ended before the bridge was up');
      this.emit({ type: 'lost', call, waitMs });
      return { kind: 'lost', waitMs };
    }
    this.attach(call, seat, conference, endpoint);
    seat.connect();
    this.emit({ type: 'connected', call, seat, waitMs });
    return { kind: 'connected', seat, waitMs };
  }

  /** Registers the live call before the seat says it is talking, so listeners can find it. */
  private attach(call: TrunkCall, seat: Seat, conference: Conference, endpoint: SeatEndpoint): void {
    const live: LiveSeatCall = { seat, call, conference, endpoint };
    this.live.set(seat.id, live);
    void call.ended.then((r) => {
      if (this.live.get(seat.id) === live) this.endSeatCall(live, r.by === 'fault' ? 'fault' : 'trunk');
    });
  }

  private endSeatCall(live: LiveSeatCall, by: 'seat' | 'trunk' | 'fault' | 'supervisor' | 'transfer'): void {
    if (this.live.get(live.seat.id) !== live) return;
    this.live.delete(live.seat.id);
    const talkMs = this.clock.now() - (live.seat.talkStartedAt ?? this.clock.now());
    if (by === 'transfer') live.seat.answering?.finished(live.call.id);
    else {
      // A nailed-up remote agent leaves the conference and stays on its leg; close() takes the rest.
      void live.conference.close().finally(() => live.seat.answering?.finished(live.call.id));
    }
    live.seat.callEnded(by);
    this.emit({ type: 'talk-ended', call: live.call, seat: live.seat, talkMs, by });
  }

  private serveWaiting(): void {
    while (this.waiting.length) {
      const head = this.waiting[0];
      if (!this.opts.group.offer(head.opts.preferredSeatId).seats.length) return;
      this.waiting.shift();
      head.timer.cancel();
      void this.offerOrWait(head.call, head.since, head.opts).then(head.done);
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
    this.events.emit(ev);
  }
}

export function legOf(call: TrunkCall): TrunkLeg {
  return { callId: call.id, span: call.span, channel: call.channel };
}
