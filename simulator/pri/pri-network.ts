import { Clock, systemClock, TimerHandle } from '../../src/core/clock';
import { Logger, silentLogger } from '../../src/core/logger';
import { Q850 } from '../../src/core/q850';
import { SignallingCall, SignallingEvent } from '../../src/signalling/span-signalling';
import { PriSpanSignalling } from '../../src/signalling/pri/pri-span-signalling';
import { CalleeBehaviour, CalleePopulation } from '../callee-population';
import { TrunkAudio } from '../../drivers/ports/channel-audio-port';
import { CalleeAudio, FarEndFeed } from '../audio/callee-audio';
import { BearerPlayback, CallPlayback } from '../audio/bearer-playback';
import { Emitter, Unsubscribe } from '../../src/core/emitter';

export interface SimulatedPriNetworkOptions {
  population: CalleePopulation;
  clock?: Clock;
  logger?: Logger;
  /** How long the exchange lets an unanswered call ring before clearing with cause 19 (ms). */
  noAnswerMs?: number;
  /**
   * The network's side of the span's B-channels: with it, every call carries the
   * callee's audio (ringback or colour ring-back, failures' tones and
   * announcements, greetings, the keys the callee's script presses).
   */
  audio?: { trunkAudio: TrunkAudio; span: number; seed: number | string; musicShare?: number; machineShare?: number };
  /**
   * Failures (busy, vacant, absent, congestion) are first played in-band for this
   * long after PROGRESS, as Chinese networks do, then cleared with their cause
   * (default 0: cleared at once). Needs `audio`.
   */
  earlyMediaMs?: number;
}

interface NetworkCall {
  token: SignallingCall;
  channel: number;
  behaviour?: CalleeBehaviour;
  timers: TimerHandle[];
  playback?: BearerPlayback;
  /** A call the network placed towards the user (a customer calling in). */
  incoming?: {
    alerted: (at: number) => void;
    answered: (at: number) => void;
    released: (r: { cause: number; by: 'local' | 'remote' }) => void;
  };
}

/** A call placed towards the controller, seen from the caller's side. */
export interface NetworkOriginatedCall {
  readonly channel: number;
  /** Resolves when the controller says the called party is ringing (ALERTING). */
  readonly alerted: Promise<number>;
  /** Resolves when the controller answers (CONNECT). */
  readonly answered: Promise<number>;
  /** Resolves when the call is over. */
  readonly released: Promise<{ cause: number; by: 'local' | 'remote' }>;
  /** The caller hangs up. */
  hangup(cause?: number): void;
}

/** A SETUP the controller sent: the called number and the calling number it presented. */
export interface OfferedSetup {
  channel: number;
  number: string;
  callerId?: string;
}

/**
 * The telephone network behind one PRI span: a libpri NET instance that answers
 * the controller's calls the way the callee population says, and on demand
 * misbehaves as a real exchange does (glare, RESTART of a channel).
 */
export class SimulatedPriNetwork {
  private readonly calls = new Map<SignallingCall, NetworkCall>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private glareArmed = false;
  private readonly attempts = new Map<string, number>();
  /** Counters a test can read. */
  readonly stats = { offered: 0, answered: 0, glares: 0 };
  private readonly playbackStarted = new Emitter<[ev: CallPlayback]>();

  /** Each call whose callee audio this network plays, as it starts: what it plays, and what the callee hears. */
  onCallPlayback(listener: (ev: CallPlayback) => void): Unsubscribe {
    return this.playbackStarted.on(listener);
  }
  /** The last SETUPs from the controller, oldest first. */
  readonly offers: OfferedSetup[] = [];

  constructor(
    readonly signalling: PriSpanSignalling,
    private readonly opts: SimulatedPriNetworkOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = (opts.logger ?? silentLogger).child({ side: 'network' });
    signalling.onEvent((ev) => this.onEvent(ev));
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /** Stops every callee timer and the network's end of the span. */
  async close(): Promise<void> {
    for (const call of [...this.calls.values()]) this.drop(call);
    await this.signalling.close();
  }

  /** The next SETUP from the user is met by a network call on the same channel. */
  armGlare(): void {
    this.glareArmed = true;
  }

  /**
   * A caller dials `number` towards the controller from `callerId`, on the lowest
   * B-channel the network has no call on (or the one given).
   */
  originate(number: string, callerId: string, channel?: number): NetworkOriginatedCall {
    const busy = new Set([...this.calls.values()].map((c) => c.channel));
    const ch = channel ?? this.signalling.bearerChannels.find((n) => !busy.has(n));
    if (ch === undefined) throw new Error('every B-channel of the simulated network is busy');
    let alerted!: (at: number) => void;
    let answered!: (at: number) => void;
    let released!: (r: { cause: number; by: 'local' | 'remote' }) => void;
    const handle = {
      channel: ch,
      alerted: new Promise<number>((r) => (alerted = r)),
      answered: new Promise<number>((r) => (answered = r)),
      released: new Promise<{ cause: number; by: 'local' | 'remote' }>((r) => (released = r)),
      hangup: (cause = Q850.NORMAL_CLEARING) => this.signalling.hangup(token, cause),
    };
    const token = this.signalling.setup(ch, { number, callerId });
    this.calls.set(token, { token, channel: ch, timers: [], incoming: { alerted, answered, released } });
    return handle;
  }

  /** RESTART one B-channel towards the user (clears whatever is on it). */
  restartChannel(channel: number): void {
    for (const call of [...this.calls.values()]) if (call.channel === channel) this.drop(call);
    this.signalling.forceRestart(channel);
  }

  private onEvent(ev: SignallingEvent): void {
    switch (ev.type) {
      case 'offered':
        this.offers.push({ channel: ev.channel, number: ev.number, callerId: ev.callerId });
        if (this.offers.length > 1000) this.offers.shift();
        return this.onOffered(ev.call, ev.channel, ev.number);
      case 'alerting':
        this.calls.get(ev.call)?.incoming?.alerted(this.clock.now());
        return;
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
        // The calls are gone with the link; libpri frees its records itself.
        for (const call of [...this.calls.values()]) this.drop(call);
        return;
      case 'channel-out-of-service':
        for (const call of [...this.calls.values()]) if (call.channel === ev.channel) this.drop(call);
        return;
      default:
        return;
    }
  }

  private onOffered(token: SignallingCall, channel: number, number: string): void {
    this.stats.offered++;
    if (this.glareArmed) {
      this.glareArmed = false;
      this.stats.glares++;
      // Our own call takes the channel; the user's SETUP is refused (Q.931: the network wins).
      const ours = this.signalling.setup(channel, { number: '4000', callerId: '075500000000' });
      this.calls.set(ours, { token: ours, channel, timers: [] });
      this.signalling.hangup(token, Q850.REQUESTED_CHANNEL_UNAVAILABLE);
      this.logger.debug('glare: took channel back', { channel });
      return;
    }
    const behaviour = this.opts.population.decide(number);
    const call: NetworkCall = { token, channel, behaviour, timers: [] };
    this.calls.set(token, call);
    const audio = this.calleeAudio(call, number, behaviour);
    const s = this.signalling;
    const failure = audio?.failure();
    const inband = failure && (this.opts.earlyMediaMs ?? 0) > 0 ? failure : undefined;
    const fail = (cause: number, acknowledged: boolean) => {
      if (!inband) {
        if (acknowledged) s.proceeding(token);
        return this.clear(call, cause);
      }
      // In-band first: the caller hears the tone or announcement, then the network clears.
      s.proceeding(token);
      s.progress(token);
      call.playback?.play(inband);
      this.after(call, this.opts.earlyMediaMs!, () => this.clear(call, cause));
    };
    switch (behaviour.kind) {
      case 'unallocated':
        return fail(Q850.UNALLOCATED, false);
      case 'congestion':
        return fail(Q850.NO_CIRCUIT_AVAILABLE, false);
      case 'busy':
        return fail(Q850.USER_BUSY, true);
      case 'absent':
        return fail(Q850.SUBSCRIBER_ABSENT, true);
      case 'no_answer':
        s.proceeding(token);
        s.alerting(token);
        call.playback?.play(audio!.ringing());
        this.after(call, this.opts.noAnswerMs ?? 60_000, () => this.clear(call, Q850.NO_ANSWER));
        return;
      case 'answer': {
        const answer = () => {
          this.stats.answered++;
          s.answer(token);
          const answered = audio?.answered();
          call.playback?.play(answered?.source);
          const talkMs = answered ? Math.max(behaviour.talkMs, answered.busyMs + 500) : behaviour.talkMs;
          this.after(call, talkMs, () => this.clear(call, Q850.NORMAL_CLEARING));
        };
        if (behaviour.ringMs <= 0) return answer(); // picks up at once: CONNECT straight after SETUP
        s.proceeding(token);
        s.alerting(token);
        call.playback?.play(audio!.ringing());
        this.after(call, behaviour.ringMs, answer);
        return;
      }
    }
  }

  /** The callee's audio on the call's B-channel, when this network carries audio. */
  private calleeAudio(call: NetworkCall, number: string, behaviour: CalleeBehaviour): CalleeAudio | undefined {
    const a = this.opts.audio;
    if (!a) return undefined;
    const attempt = (this.attempts.get(number) ?? 0) + 1;
    this.attempts.set(number, attempt);
    const port = a.trunkAudio.open(a.span, call.channel);
    if (!port) return undefined;
    const audio = new CalleeAudio(behaviour, {
      seed: a.seed,
      number,
      attempt,
      musicShare: a.musicShare,
      machineShare: a.machineShare,
    });
    call.playback = new BearerPlayback(port, new FarEndFeed(audio.noiseRng));
    this.playbackStarted.emit({ number, channel: call.channel, behaviour, playback: call.playback });
    return audio;
  }

  private after(call: NetworkCall, ms: number, fn: () => void): void {
    call.timers.push(
      this.clock.setTimer(ms, () => {
        if (this.calls.get(call.token) === call) fn();
      }),
    );
  }

  private clear(call: NetworkCall, cause: number): void {
    this.signalling.hangup(call.token, cause);
  }

  private drop(call: NetworkCall): void {
    // Gone with the link or a channel reset (a 'released' has already said otherwise).
    call.incoming?.released({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'remote' });
    for (const t of call.timers) t.cancel();
    void call.playback?.close();
    this.calls.delete(call.token);
  }
}
