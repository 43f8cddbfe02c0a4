import { Clock, TimerHandle } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { legOf, RouteResult, SeatDistributor } from '../seats/seat-distributor';

/**
 * The queue of incoming calls for one answer group. A call over the bound is
 * refused unanswered (user busy, cause 17). Any other call is answered and hears
 * music (or an announcement) until a seat of the group is ready: the customer's
 * preferred seat when it is ready, else the one the group's strategy picks. A call
 * still waiting after `maxWaitSec` hears the sorry message and is released. The
 * queue keeps the figures a supervisor watches (QueueFigures).
 */
export interface InboundQueueSettings {
  /** Calls that may wait at once; the next one is refused busy. */
  maxWaiting: number;
  /** Longest wait before the caller is told sorry and released. */
  maxWaitSec: number;
  /** Service level: answered by a seat within this long. */
  serviceLevelSec: number;
  /** Played to waiting callers, repeated (a voice file of the site). */
  music?: string;
  /** Played once to a caller released after the longest wait. */
  sorry?: string;
}

/** Times the music is repeated: far past any wait (it stops when the caller leaves the queue). */
const MUSIC_PLAYS = 1000;

export const DEFAULT_QUEUE_SETTINGS: InboundQueueSettings = { maxWaiting: 10, maxWaitSec: 120, serviceLevelSec: 20 };

/** What the queue publishes: counts since start and the state now. */
export interface QueueFigures {
  answerGroup: string;
  /** Callers waiting now, and how long the first of them has waited (ms). */
  waiting: number;
  longestWaitMs: number;
  /** Calls offered to the queue (including refused ones). */
  offered: number;
  /** Refused busy because the queue was full. */
  refusedFull: number;
  /** Connected to a seat, and of those within the service-level time. */
  connected: number;
  connectedWithinTarget: number;
  /** Callers who hung up while waiting. */
  abandonedInQueue: number;
  /** Released after the longest wait. */
  timedOut: number;
  /** connectedWithinTarget over every call that left the queue (connected, abandoned, timed out); 1 when none has. */
  serviceLevel: number;
}

export interface InboundQueueOptions {
  clock: Clock;
  distributor: SeatDistributor;
  settings: InboundQueueSettings;
  /** Answers the offered call (the span's accept). */
  answer: (call: TrunkCall) => void;
  voice?: VoicePlayer;
  /** The seat that last talked to this caller, if any (campaign callbacks); may answer later (a database). */
  preferredSeat?: (callerId: string | undefined) => string | undefined | Promise<string | undefined>;
  /** A call was connected to a seat (the customer memory learns from it). */
  onConnected?: (call: TrunkCall, seatId: string) => void;
  logger?: Logger;
}

interface WaitingCall {
  call: TrunkCall;
  since: number;
  preferredSeatId?: string;
  /** Still finding out the preferred seat: the queue waits for it (first come, first served). */
  lookingUp: boolean;
  timer: TimerHandle;
  stopMusic: () => void;
}

export class InboundQueue {
  private readonly waiting: WaitingCall[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private closed = false;
  private counts = { offered: 0, refusedFull: 0, connected: 0, connectedWithinTarget: 0, abandonedInQueue: 0, timedOut: 0 };

  constructor(private readonly opts: InboundQueueOptions) {
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    for (const seat of opts.distributor.group.seats)
      seat.onChange((s) => {
        if (s.isReady) this.serve();
      });
  }

  get answerGroup(): string {
    return this.opts.distributor.group.name;
  }

  /** Takes an offered incoming call: refuses it when full, else answers it and queues it. */
  offer(call: TrunkCall): void {
    if (this.closed) {
      call.hangup(Q850.TEMPORARY_FAILURE);
      return;
    }
    this.counts.offered++;
    const s = this.opts.settings;
    // A call a ready seat can take at once does not wait, so it does not count against the bound.
    const servedAtOnce =
      this.waiting.length === 0 && this.opts.distributor.waitingCount() === 0 && this.opts.distributor.group.readySeats().length > 0;
    if (!servedAtOnce && this.waiting.length >= s.maxWaiting) {
      this.counts.refusedFull++;
      this.logger.info('inbound queue full: call refused busy', { call: call.id, waiting: this.waiting.length });
      call.hangup(Q850.USER_BUSY);
      return;
    }
    this.opts.answer(call);
    const stop = deferred();
    const entry: WaitingCall = {
      call,
      since: this.clock.now(),
      lookingUp: this.opts.preferredSeat !== undefined,
      timer: this.clock.setTimer(s.maxWaitSec * 1000, () => this.timeOut(entry)),
      stopMusic: stop.resolve,
    };
    this.waiting.push(entry);
    if (s.music && this.opts.voice) {
      void this.opts.voice
        .play(legOf(call), { file: s.music, plays: MUSIC_PLAYS }, Promise.race([call.ended, stop.promise]))
        .catch((err: unknown) => this.logger.warn('queue music failed', { call: call.id, err: String(err) }));
    }
    void call.ended.then(() => {
      if (!this.leave(entry)) return;
      this.counts.abandonedInQueue++;
    });
    if (this.opts.preferredSeat) void this.lookUp(entry, this.opts.preferredSeat);
    this.serve();
  }

  private async lookUp(entry: WaitingCall, preferredSeat: NonNullable<InboundQueueOptions['preferredSeat']>): Promise<void> {
    try {
      entry.preferredSeatId = await preferredSeat(entry.call.callerId);
    } catch (err) {
      // Without the history the group's strategy picks: the caller is not kept waiting for it.
      this.logger.warn("customer's last agent not found: the strategy picks", { call: entry.call.id, err: String(err) });
    }
    entry.lookingUp = false;
    this.serve();
  }

  figures(): QueueFigures {
    const c = this.counts;
    const left = c.connected + c.abandonedInQueue + c.timedOut;
    return {
      answerGroup: this.answerGroup,
      waiting: this.waiting.length,
      longestWaitMs: this.waiting.length ? this.clock.now() - this.waiting[0].since : 0,
      ...c,
      serviceLevel: left ? c.connectedWithinTarget / left : 1,
    };
  }

  /** The gateway is stopping: callers still waiting are released, no call is handed to a seat any more. */
  close(): void {
    this.closed = true;
    for (const entry of [...this.waiting]) {
      this.leave(entry);
      entry.call.hangup(Q850.NORMAL_CLEARING);
    }
  }

  /**
   * Hands waiting callers to the distributor, first come first served, while a seat
   * is ready: it offers the call by the group's strategy (the preferred seat alone
   * when ready; every ready phone rings under ring-all). A seat that does not answer
   * sends the call to the next; the distributor may hold it for what is left of the
   * longest wait, then plays the sorry message.
   */
  private serve(): void {
    while (this.waiting.length && !this.closed) {
      const head = this.waiting[0];
      if (head.lookingUp) return;
      // Outbound calls the distributor holds go first: they were answered by a campaign and abandon fast.
      if (this.opts.distributor.waitingCount() > 0) return;
      if (this.opts.distributor.group.offer(head.preferredSeatId).seats.length === 0) return;
      this.leave(head);
      const leftSec = Math.max(1, this.opts.settings.maxWaitSec - (this.clock.now() - head.since) / 1000);
      void this.opts.distributor.route(head.call, { preferredSeatId: head.preferredSeatId, maxWaitSec: leftSec }).then((r: RouteResult) => {
        const waitMs = this.clock.now() - head.since;
        if (r.kind === 'lost') this.counts.abandonedInQueue++;
        if (r.kind === 'abandoned') this.counts.timedOut++;
        if (r.kind !== 'connected') return;
        this.counts.connected++;
        if (waitMs <= this.opts.settings.serviceLevelSec * 1000) this.counts.connectedWithinTarget++;
        this.opts.onConnected?.(head.call, r.seat.id);
      });
    }
  }

  /** Takes a call out of the queue; false when it had already left. */
  private leave(entry: WaitingCall): boolean {
    const i = this.waiting.indexOf(entry);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    entry.timer.cancel();
    entry.stopMusic();
    return true;
  }

  private timeOut(entry: WaitingCall): void {
    if (!this.leave(entry)) return;
    this.counts.timedOut++;
    const { call } = entry;
    const sorry = this.opts.settings.sorry;
    const played = sorry && this.opts.voice ? this.opts.voice.play(legOf(call), { file: sorry, plays: 1 }, call.ended) : Promise.resolve();
    void played.catch(() => undefined).finally(() => call.hangup(Q850.NORMAL_CLEARING));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
