import { AnsweredBy } from '../core/call-events';
import { Clock, TimerHandle } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { StateMachine, TransitionTable } from '../core/state-machine';
import { Dialer, DialResult } from '../controller/trunk-group';
import { TrunkCall } from '../controller/trunk-call';
import { Pacer, PacingSnapshot } from '../pacing/pacer';
import { Seat } from '../seats/seat';
import { legOf, SeatDistributor } from '../seats/seat-distributor';
import { AnswerClassifier, AnswerKind } from './answer-classifier';
import { LineAnswerClassifier } from './line-answer-classifier';
import { Blacklist } from './blacklist';
import { CallerIdPool } from './caller-id-pool';
import { CallingHours } from './calling-hours';
import { CampaignSettings, checkSettings } from './campaign-settings';
import { normaliseChinaNumber } from './china-number';
import { Contact, ContactSource } from './contact-list';
import { AttemptOutcome } from './retry-rules';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import type { CallRecorder } from '../voice/call-recorder';
import { Emitter, Unsubscribe } from '../core/emitter';

/**
 * Runs one outbound campaign against a Dialer (TrunkGroup on live spans, or the
 * same TrunkGroup over the virtual network in the benchmark): takes numbers from
 * its list, asks its pacer (or its mode) how many to dial, hands answered calls to
 * the seats or plays them the broadcast, and gives every number back to the list
 * with its outcome. (Over 400 lines: the state table and the life of one attempt share the
 * attempt bookkeeping; classification, caller IDs, retries and the blacklist already live apart.)
 *
 * state          event        next           why
 * created        start        running
 * running        close-hours  outside-hours  the calling window shut
 * outside-hours  open-hours   running
 * running/outside-hours  pause  paused       a supervisor held it: no new calls, live ones go on
 * paused         resume       running
 * running/outside-hours/paused  stop  stopping  no new calls; live ones finish
 * running        list-done    stopping       every number is finished
 * stopping       drained      finished       the last call ended
 *
 * A store that refuses writes (disk full, file gone read-only) pauses the campaign
 * and raises an 'alarm' event: a number is never dialled without its attempt on disk.
 */
export type CampaignState = 'created' | 'running' | 'outside-hours' | 'paused' | 'stopping' | 'finished';
type CampaignEventName = 'start' | 'close-hours' | 'open-hours' | 'pause' | 'resume' | 'stop' | 'list-done' | 'drained';

const TRANSITIONS: TransitionTable<CampaignState, CampaignEventName> = {
  created: { start: 'running', stop: 'stopping' },
  running: { 'close-hours': 'outside-hours', pause: 'paused', stop: 'stopping', 'list-done': 'stopping' },
  'outside-hours': { 'open-hours': 'running', pause: 'paused', stop: 'stopping', 'list-done': 'stopping' },
  paused: { pause: 'paused', resume: 'running', stop: 'stopping' },
  stopping: { drained: 'finished', stop: 'stopping', 'list-done': 'stopping' },
  finished: { stop: 'finished' },
};

export interface AttemptRecord {
  contactId?: number;
  number: string;
  callerId?: string;
  test: boolean;
  outcome: AttemptOutcome;
  cause: number;
  causeText: string;
  keys?: string;
  seatId?: string;
  callId?: string;
  dialledAt: number;
  answeredAt?: number;
  endedAt: number;
  /** Wait of an answered call for a seat (ms). */
  waitMs?: number;
  /** The call's recording (WAV), when the campaign or its answer group records. */
  recording?: string;
  /** Who answered, as the line told (AMD, in-band analysis), and why; absent where the line does not say. */
  answeredBy?: AnsweredBy;
  answeredByReason?: string;
}

export type CampaignEvent =
  | { type: 'state'; state: CampaignState; at: number }
  | { type: 'answered'; call: TrunkCall; kind: AnswerKind; test: boolean; at: number }
  | { type: 'attempt-ended'; record: AttemptRecord }
  /** The campaign cannot go on safely (its store refuses writes): it has paused itself. */
  | { type: 'alarm'; code: 'STORAGE_FAILED'; detail: string; at: number };

export interface CampaignDeps {
  clock: Clock;
  dialer: Dialer;
  contacts: ContactSource;
  voice: VoicePlayer;
  /** Preview and paced modes. */
  distributor?: SeatDistributor;
  /** Paced mode. */
  pacer?: Pacer;
  classifier?: AnswerClassifier;
  blacklist?: Blacklist;
  /** Records connected calls when the settings say so. */
  recorder?: CallRecorder;
  logger?: Logger;
}

const PACE_MIN_INTERVAL_MS = 200;

interface Dialling {
  dialledAt: number;
}

export class OutboundCampaign {
  private readonly fsm: StateMachine<CampaignState, CampaignEventName>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hours: CallingHours;
  private readonly callerIds: CallerIdPool;
  private readonly dialling = new Set<Dialling>();
  private readonly events = new Emitter<[ev: CampaignEvent]>((err) =>
    this.logger.error('campaign event listener failed', { error: String(err) }),
  );
  private readonly wrapStarted = new Map<Seat, number>();
  private active = 0;
  /** Attempts taken but not dialled yet (their record is on its way to disk): they will take channels. */
  private recording = 0;
  private paceTimer: TimerHandle | undefined;
  private lastPaceAt = Number.NEGATIVE_INFINITY;
  private heartbeat: TimerHandle | undefined;
  /** Who answered: the one given, else, with AMD on, what the line says. */
  private readonly classifier: AnswerClassifier | undefined;
  private drainedFn: (() => void) | undefined;
  /** Raised once per failure: cleared when an operator resumes the campaign. */
  private storageAlarm = false;
  readonly finished: Promise<void>;

  constructor(
    readonly settings: CampaignSettings,
    private readonly deps: CampaignDeps,
  ) {
    checkSettings(settings);
    if (settings.mode !== 'broadcast' && !deps.distributor)
      throw new InputError(`campaign ${settings.name}`, `${settings.mode} mode needs seats (an answer group)`);
    if (settings.mode === 'paced' && !deps.pacer) throw new InputError(`campaign ${settings.name}`, 'paced mode needs a pacing algorithm');
    this.clock = deps.clock;
    this.logger = (deps.logger ?? silentLogger).child({ campaign: settings.name });
    this.hours = new CallingHours(settings.callingHours);
    this.callerIds = new CallerIdPool(settings.callerIds);
    this.classifier = deps.classifier ?? (settings.amd ? new LineAnswerClassifier({ clock: this.clock, logger: this.logger }) : undefined);
    this.finished = new Promise((r) => (this.drainedFn = r));
    this.fsm = new StateMachine(`campaign ${settings.name}`, TRANSITIONS, 'created', {
      clock: this.clock,
      onTransition: (e) => this.emit({ type: 'state', state: e.to, at: e.at }),
    });
    // Numbers leased in the background from a shared store: dial them now, not at the next beat.
    deps.contacts.onAvailable?.(() => this.schedulePace());
    const distributor = deps.distributor;
    if (distributor) {
      distributor.onEvent((ev) => {
        if (ev.type === 'talk-ended') deps.pacer?.observe({ type: 'talk-ended', at: this.clock.now(), talkMs: ev.talkMs });
      });
      for (const seat of distributor.group.seats) seat.onChange((s, e) => this.onSeatChange(s, e.from, e.to, e.at));
    }
  }

  get state(): CampaignState {
    return this.fsm.state;
  }

  onEvent(listener: (ev: CampaignEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Calls from dial to hang-up right now. */
  /** When the longest-waiting of its answered calls began to wait for a seat, if one waits. */
  oldestWaitingSince(): number | undefined {
    return this.deps.distributor?.oldestWaitingSince();
  }

  activeCalls(): number {
    return this.active;
  }

  start(): void {
    this.fsm.transition('start');
    this.beat();
    this.schedulePace();
  }

  /** Holds the campaign: no new calls until resume(); calls in progress go on. */
  pause(): CampaignState {
    if (!this.fsm.can('pause')) throw new InputError(`campaign ${this.settings.name}`, `cannot pause a campaign that is ${this.fsm.state}`);
    return this.fsm.transition('pause');
  }

  resume(): CampaignState {
    if (!this.fsm.can('resume'))
      throw new InputError(`campaign ${this.settings.name}`, `cannot resume a campaign that is ${this.fsm.state}`);
    this.storageAlarm = false;
    this.fsm.transition('resume');
    this.schedulePace();
    return this.fsm.state;
  }

  /** No new calls; resolves when the last live call has ended. */
  stop(): Promise<void> {
    this.fsm.transition('stop');
    this.heartbeat?.cancel();
    this.checkDrained();
    return this.finished;
  }

  /** One call to a number outside the list (to check the settings and the voice file); the list is not touched. */
  async testCall(number: string): Promise<AttemptRecord> {
    const n = normaliseChinaNumber(number);
    if (!n.ok) throw new InputError('test call number', n.reason);
    if (this.deps.blacklist?.has(n.number)) throw new InputError('test call number', `${n.number} is on the blacklist`);
    const contact: Contact = { id: 0, number: n.number, fields: [], attempts: 0, nextAttemptAt: 0, done: false };
    return this.attempt(contact, true);
  }

  /** What the pacer is shown: counts and ages only. */
  snapshot(capacity: number): PacingSnapshot {
    const now = this.clock.now();
    const seats = this.deps.distributor?.group.seats ?? [];
    const talkingAges: number[] = [];
    const wrapAges: number[] = [];
    let ready = 0;
    let loggedIn = 0;
    for (const s of seats) {
      if (s.state !== 'logged-out') loggedIn++;
      if (s.state === 'ready') ready++;
      else if (s.state === 'talking') talkingAges.push(now - (s.talkStartedAt ?? now));
      else if (s.state === 'wrap-up') wrapAges.push(now - s.since);
    }
    return {
      now,
      loggedInSeats: loggedIn,
      readySeats: ready,
      talkingAges,
      wrapAges,
      dialingAges: [...this.dialling].map((d) => now - d.dialledAt),
      waitingAnswered: this.deps.distributor?.waitingCount() ?? 0,
      capacity,
    };
  }

  private beat(): void {
    this.heartbeat = this.clock.setTimer(1000, () => {
      const state = this.fsm.state;
      if (state === 'running' || state === 'outside-hours' || state === 'paused') {
        // Events pace as they come; the beat only covers a quiet second (ringing calls age, seats near their end).
        if (state !== 'paused' && this.clock.now() - this.lastPaceAt >= 1000) this.pace();
        this.beat();
      }
    });
  }

  /** Paces soon: events that come together (or within 200 ms of the last decision) share one decision. */
  private schedulePace(): void {
    if (this.paceTimer || (this.fsm.state !== 'running' && this.fsm.state !== 'outside-hours')) return;
    const wait = Math.max(0, this.lastPaceAt + PACE_MIN_INTERVAL_MS - this.clock.now());
    this.paceTimer = this.clock.setTimer(wait, () => {
      this.paceTimer = undefined;
      this.pace();
    });
  }

  private pace(): void {
    const now = this.clock.now();
    this.lastPaceAt = now;
    const open = this.hours.isOpen(now);
    if (this.fsm.state === 'running' && !open) this.fsm.transition('close-hours');
    if (this.fsm.state === 'outside-hours' && open) this.fsm.transition('open-hours');
    if (this.fsm.state !== 'running') return;
    if (this.deps.contacts.remaining() === 0) {
      this.fsm.transition('list-done');
      this.heartbeat?.cancel();
      this.checkDrained();
      return;
    }
    const limit = this.settings.maxConcurrency > 0 ? this.settings.maxConcurrency - this.active : Number.POSITIVE_INFINITY;
    const capacity = Math.max(0, Math.min(this.deps.dialer.idleChannels() - this.recording, limit));
    if (capacity === 0) return;
    switch (this.settings.mode) {
      case 'paced': {
        const decision = this.deps.pacer!.decide(this.snapshot(capacity));
        for (let i = 0; i < Math.min(decision.dial, capacity); i++) if (!this.launch()) break;
        return;
      }
      case 'preview': {
        const seats = this.deps.distributor!.group.offer().seats.slice(0, capacity);
        for (const seat of seats) if (!this.launch(seat)) break;
        return;
      }
      case 'broadcast':
        for (let i = 0; i < capacity; i++) if (!this.launch()) break;
        return;
    }
  }

  /**
   * The store refused a write: no more numbers are taken (nothing may be dialled
   * unrecorded) until an operator resumes; calls in progress go on. Logged and
   * raised as an alarm once.
   */
  private storageFailed(err: unknown): void {
    const detail = messageOf(err);
    if (this.fsm.can('pause') && this.fsm.state !== 'paused') this.fsm.transition('pause');
    if (this.storageAlarm) return;
    this.storageAlarm = true;
    this.logger.error('campaign store refuses writes: dialling stopped (alarm STORAGE_FAILED)', { err: detail });
    this.emit({ type: 'alarm', code: 'STORAGE_FAILED', detail, at: this.clock.now() });
  }

  /** Takes the next diallable contact and starts its attempt; false when none is due. */
  private launch(seat?: Seat): boolean {
    for (;;) {
      let contact: Contact | undefined;
      try {
        contact = this.deps.contacts.take(this.clock.now());
      } catch (err) {
        if (!isStorageFailure(err)) throw err;
        this.storageFailed(err);
        return false;
      }
      if (!contact) return false;
      if (this.deps.blacklist?.has(contact.number)) {
        this.deps.contacts.settle(contact, 'blacklisted', this.clock.now());
        continue;
      }
      if (seat) seat.reserve(`preview:${contact.id}`);
      void this.attempt(contact, false, seat).catch((err) =>
        this.logger.error('attempt failed', { number: contact.number, err: String(err) }),
      );
      return true;
    }
  }

  private async attempt(contact: Contact, test: boolean, previewSeat?: Seat): Promise<AttemptRecord> {
    this.active++;
    const callerId = this.callerIds.take();
    if (previewSeat && this.settings.previewSec > 0)
      await new Promise<void>((r) => this.clock.setTimer(this.settings.previewSec * 1000, r));
    const dialling: Dialling = { dialledAt: this.clock.now() };
    const record: AttemptRecord = {
      contactId: test ? undefined : contact.id,
      number: contact.number,
      callerId,
      test,
      outcome: 'other',
      cause: 0,
      causeText: '',
      dialledAt: dialling.dialledAt,
      endedAt: 0,
    };
    this.dialling.add(dialling);
    let result: DialResult;
    try {
      await this.recorded(contact, test);
      try {
        result = await this.deps.dialer.dial({
          number: contact.number,
          callerId,
          ringTimeoutSec: this.settings.ringSec,
          withholdCallerId: this.settings.withholdCallerId,
          inband: this.settings.amd ? { maxAnalysisMs: this.settings.amd.maxAnalysisSec * 1000 } : undefined,
        });
      } catch (err) {
        result = { outcome: 'other', cause: Q850.INVALID_NUMBER_FORMAT, causeText: messageOf(err), attempts: 0, setupMs: 0 };
      }
    } catch (err) {
      // The attempt could not be put on disk: not dialled (it would not be known after a crash).
      this.logger.error('attempt not recorded, not dialled', { number: contact.number, err: messageOf(err) });
      if (isStorageFailure(err)) this.storageFailed(err);
      result = { outcome: 'other', cause: Q850.TEMPORARY_FAILURE, causeText: messageOf(err), attempts: 0, setupMs: 0 };
    }
    this.dialling.delete(dialling);
    Object.assign(record, { cause: result.cause, causeText: result.causeText, callId: result.callId });
    if (result.outcome === 'answered' && result.call) {
      record.answeredAt = this.clock.now();
      await this.handleAnswered(result.call, contact, record, previewSeat);
      await result.call.ended;
    } else {
      record.outcome = result.outcome === 'answered' ? 'other' : result.outcome;
      if (!test)
        this.deps.pacer?.observe({ type: 'attempt-settled', at: this.clock.now(), dialledAt: dialling.dialledAt, answered: false });
      previewSeat?.releaseReservation('customer not reached');
    }
    record.endedAt = this.clock.now();
    this.active--;
    if (!test) {
      if (record.outcome === 'connected' && record.seatId) contact.preferredSeatId = record.seatId;
      try {
        this.deps.contacts.settle(contact, record.outcome, this.clock.now());
      } catch (err) {
        // The outcome could not be written: the attempt stays open in the store and is closed as interrupted at the next start.
        if (!isStorageFailure(err)) throw err;
        this.storageFailed(err);
      }
    }
    this.emit({ type: 'attempt-ended', record });
    this.schedulePace();
    this.checkDrained();
    return record;
  }

  /** Waits until the attempt just taken for the contact is on disk: nobody is dialled before, so a crash never redials it as itself. */
  private async recorded(contact: Contact, test: boolean): Promise<void> {
    const recorded = test ? undefined : this.deps.contacts.recorded?.(contact);
    if (!recorded) return;
    this.recording++;
    try {
      await recorded;
    } finally {
      this.recording--;
    }
  }

  private async handleAnswered(call: TrunkCall, contact: Contact, record: AttemptRecord, previewSeat?: Seat): Promise<void> {
    const pacer = record.test ? undefined : this.deps.pacer;
    if (this.settings.mode === 'broadcast') {
      this.emit({ type: 'answered', call, kind: 'human', test: record.test, at: this.clock.now() });
      const b = this.settings.broadcast!;
      try {
        const played = await this.deps.voice.play(
          legOf(call),
          {
            file: b.file,
            plays: b.plays,
            collectKeys: { maxKeys: b.maxKeys, timeoutSec: b.keyTimeoutSec, interKeySec: b.interKeySec, terminator: b.terminator },
            bargeIn: b.bargeIn,
          },
          call.ended,
        );
        record.keys = played.keys;
        record.outcome = played.completed || played.keys ? 'played' : 'lost';
      } catch (err) {
        // A prompt that cannot be played (a bad file, no channel audio) ends the call, never the campaign's bookkeeping.
        this.logger.error('broadcast prompt not played', { number: contact.number, err: messageOf(err) });
        record.outcome = 'other';
        record.causeText = messageOf(err);
      }
      call.hangup(Q850.NORMAL_CLEARING);
      return;
    }
    const kind = this.classifier ? await this.classifier.classify(call) : 'human';
    if (call.answeredBy) Object.assign(record, { answeredBy: call.answeredBy, answeredByReason: call.answeredByReason });
    this.emit({ type: 'answered', call, kind, test: record.test, at: this.clock.now() });
    if (kind === 'machine') {
      pacer?.observe({ type: 'attempt-settled', at: this.clock.now(), dialledAt: record.dialledAt, answered: false });
      previewSeat?.releaseReservation('answering machine');
      record.outcome = 'machine';
      call.hangup(Q850.NORMAL_CLEARING);
      return;
    }
    pacer?.observe({ type: 'attempt-settled', at: this.clock.now(), dialledAt: record.dialledAt, answered: true });
    const distributor = this.deps.distributor!;
    const routed =
      previewSeat && previewSeat.state === 'reserved'
        ? await distributor.connectReserved(call, previewSeat)
        : await distributor.route(call, contact.preferredSeatId);
    pacer?.observe({ type: 'answer-routed', at: this.clock.now(), outcome: routed.kind, waitMs: routed.waitMs });
    record.waitMs = routed.waitMs;
    record.outcome = routed.kind;
    if (routed.kind === 'connected') {
      record.seatId = routed.seat.id;
      if (this.settings.recording && this.deps.recorder) await this.record(call, routed.seat, contact, record);
    }
  }

  /** Starts the call's recording; it stops when the call ends. A recording that cannot start never stops the call. */
  private async record(call: TrunkCall, seat: Seat, contact: Contact, record: AttemptRecord): Promise<void> {
    try {
      const rec = await this.deps.recorder!.start(legOf(call), seat.endpoint, {
        campaign: this.settings.name,
        number: contact.number,
        seatId: seat.id,
        layout: this.settings.recording!.layout,
      });
      record.recording = rec.path;
      void call.ended.then(() =>
        rec.stop().catch((err) => this.logger.error('recording not finished', { path: rec.path, err: messageOf(err) })),
      );
    } catch (err) {
      this.logger.error('call not recorded', { number: contact.number, err: messageOf(err) });
    }
  }

  private onSeatChange(seat: Seat, from: string, to: string, at: number): void {
    if (to === 'wrap-up') this.wrapStarted.set(seat, at);
    if (from === 'wrap-up') {
      const started = this.wrapStarted.get(seat);
      this.wrapStarted.delete(seat);
      if (started !== undefined) this.deps.pacer?.observe({ type: 'wrap-ended', at, wrapMs: at - started });
    }
    if (to === 'ready') this.schedulePace();
  }

  private checkDrained(): void {
    if (this.fsm.state === 'stopping' && this.active === 0) {
      this.fsm.transition('drained');
      this.drainedFn?.();
    }
  }

  private emit(ev: CampaignEvent): void {
    this.events.emit(ev);
  }
}

/** An error's message; node:sqlite's errors are of the main realm (not instanceof Error in a jest sandbox). */
function messageOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
}

/** A write the campaign's store refused (CampaignStoreError, code STORAGE_FAILED). */
function isStorageFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'STORAGE_FAILED';
}
