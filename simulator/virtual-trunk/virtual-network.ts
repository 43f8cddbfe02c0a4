import { Clock, TimerHandle } from '../../src/core/clock';
import { Q850 } from '../../src/core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../../src/signalling/span-signalling';
import { Rng, sample } from '../random';
import { Scenario, ScenarioOutcome } from './scenario';
import { ANY_TRUNK_RULE, checkDialledNumber } from '../../src/core/dialled-number';
import { Emitter, Unsubscribe } from '../../src/core/emitter';

/**
 * The telephone network and the callees behind it, in whatever time the injected
 * clock keeps. It implements the span signalling seam, so the real Span and
 * TrunkGroup dial through it exactly as they dial through libpri: the benchmark
 * has no second model of the dialer.
 *
 * What a callee does is drawn from (seed, n) for the n-th attempt of the run, so
 * two algorithms run on the same seed meet the same sequence of callees.
 */
export interface CalleeTruth {
  kind: ScenarioOutcome;
  /** How long a person talks once they reach an agent (ms). */
  talkMs: number;
  /** Network attempt index (0-based). */
  attempt: number;
}

interface VirtualCall extends SignallingCall {
  span: VirtualSpanSignalling;
  channel: number;
  truth: CalleeTruth;
  timers: TimerHandle[];
  answered: boolean;
  releasing: boolean;
  /** A call the network offered to the controller (a customer calling in). */
  incoming?: IncomingVirtualCall;
  onAnswer?: () => void;
  onRelease?: (r: { cause: number; by: 'local' | 'remote'; at: number }) => void;
}

/** What a called number does, overriding the scenario's draw (a known party: privacy-number tests). */
export type KnownCallee = { kind: 'answer'; ringMs: number; talkMs: number } | { kind: 'busy' } | { kind: 'no_answer' };

/** A call placed towards the controller, seen from the caller's side. */
export interface IncomingVirtualCall {
  readonly number: string;
  readonly callerId?: string;
  /** Resolves when the controller answers. */
  readonly answered: Promise<number>;
  /** Resolves when the call is over, with the cause and who cleared it. */
  readonly released: Promise<{ cause: number; by: 'local' | 'remote'; at: number }>;
  /** The caller hangs up. */
  hangup(cause?: number): void;
}

/** A call the controller placed, as the network saw its setup. */
export interface PlacedCall {
  span: number;
  channel: number;
  number: string;
  callerId?: string;
  at: number;
}

export class VirtualNetwork {
  readonly spans: VirtualSpanSignalling[] = [];
  private attempts = 0;
  private callSeq = 0;
  private outcomes: Record<ScenarioOutcome, number>;
  private readonly startedAt: number;
  private readonly byChannel = new Map<string, VirtualCall>();
  private readonly known = new Map<string, KnownCallee>();
  /** The last setups the controller sent (number and the caller ID it presented), oldest first. */
  readonly placed: PlacedCall[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly seed: number | string,
    private readonly clock: Clock,
    channelsPerSpan = 30,
    /** Span ids from here on (networks side by side, as in a blended run, need ids of their own). */
    firstSpanId = 1,
  ) {
    this.outcomes = { ...scenario.outcomes };
    this.startedAt = clock.now();
    for (let left = scenario.lines, id = firstSpanId; left > 0; id++) {
      const n = Math.min(channelsPerSpan, left);
      this.spans.push(new VirtualSpanSignalling(this, id, n));
      left -= n;
    }
    for (const step of scenario.schedule) {
      clock.setTimer(step.atMinutes * 60_000, () => (this.outcomes = { ...this.outcomes, ...step.outcomes }));
    }
  }

  get attemptCount(): number {
    return this.attempts;
  }

  /** What is on the line at (span, channel): what an agent would hear, never shown to a pacer. */
  truthOn(span: number, channel: number): CalleeTruth | undefined {
    return this.byChannel.get(`${span}/${channel}`)?.truth;
  }

  /** Brings every span's link and channels up. */
  start(): void {
    for (const s of this.spans) s.bringUp();
  }

  /** From now on, calls to `number` meet this callee instead of the scenario's draw. */
  setCallee(number: string, callee: KnownCallee): void {
    this.known.set(number, callee);
  }

  /**
   * A caller dials `number` towards the controller on the span's lowest free
   * channel (the network hunts from the bottom). Undefined when every channel is busy.
   */
  offerCall(span: VirtualSpanSignalling, number: string, callerId?: string): IncomingVirtualCall | undefined {
    const channel = span.bearerChannels.find((ch) => !this.byChannel.has(`${span.id}/${ch}`));
    if (channel === undefined || !span.linkUp) return undefined;
    let answered!: (at: number) => void;
    let released!: (r: { cause: number; by: 'local' | 'remote'; at: number }) => void;
    const call: VirtualCall = {
      id: ++this.callSeq,
      span,
      channel,
      truth: { kind: 'human', talkMs: 0, attempt: -1 },
      timers: [],
      answered: false,
      releasing: false,
    };
    call.incoming = {
      number,
      callerId,
      answered: new Promise((r) => (answered = r)),
      released: new Promise((r) => (released = r)),
      hangup: (cause = Q850.NORMAL_CLEARING) => this.release(call, cause),
    };
    call.onAnswer = () => answered(this.clock.now());
    call.onRelease = released;
    this.byChannel.set(`${span.id}/${channel}`, call);
    span.emit({ type: 'offered', call, channel, number, callerId });
    return call.incoming;
  }

  /** @internal The controller answered a call the network offered. */
  answer(call: VirtualCall): void {
    if (!call.incoming || call.answered || call.releasing) return;
    call.answered = true;
    call.onAnswer?.();
  }

  /** @internal */
  placeCall(span: VirtualSpanSignalling, channel: number, setup: OutboundSetup): VirtualCall {
    const attempt = this.attempts++;
    this.placed.push({ span: span.id, channel, number: setup.number, callerId: setup.callerId, at: this.clock.now() });
    if (this.placed.length > 1000) this.placed.shift();
    const known = this.known.get(setup.number);
    if (known) return this.placeKnown(span, channel, known, attempt);
    const rng = new Rng(`${this.seed}/${attempt}`);
    const kind = rng.pick(this.outcomes);
    const pddMs = sample(this.scenario.postDialDelaySec, rng) * 1000;
    const humanRingMs = sample(this.scenario.humanRingSec, rng) * 1000;
    const machineRingMs = sample(this.scenario.machineRingSec, rng) * 1000;
    const talkMs = Math.max(1000, sample(this.scenario.talkSec, rng) * 1000);
    const call: VirtualCall = {
      id: ++this.callSeq,
      span,
      channel,
      truth: { kind, talkMs, attempt },
      timers: [],
      answered: false,
      releasing: false,
    };
    this.byChannel.set(`${span.id}/${channel}`, call);
    const at = (ms: number, fn: () => void) => call.timers.push(this.clock.setTimer(ms, fn));
    at(pddMs, () => span.emit({ type: 'proceeding', call }));
    switch (kind) {
      case 'invalid':
        at(pddMs + this.scenario.fastFailSec * 1000, () => this.release(call, Q850.UNALLOCATED));
        break;
      case 'busy':
        at(pddMs + this.scenario.fastFailSec * 1000, () => this.release(call, Q850.USER_BUSY));
        break;
      case 'no_answer':
        at(pddMs, () => span.emit({ type: 'alerting', call, inbandAudio: true }));
        break;
      case 'machine':
      case 'human':
        at(pddMs, () => span.emit({ type: 'alerting', call, inbandAudio: true }));
        at(pddMs + (kind === 'human' ? humanRingMs : machineRingMs), () => {
          if (call.releasing) return;
          call.answered = true;
          span.emit({ type: 'answered', call });
        });
        break;
    }
    return call;
  }

  private placeKnown(span: VirtualSpanSignalling, channel: number, known: KnownCallee, attempt: number): VirtualCall {
    const talkMs = known.kind === 'answer' ? known.talkMs : 0;
    const kind: ScenarioOutcome = known.kind === 'answer' ? 'human' : known.kind;
    const call: VirtualCall = {
      id: ++this.callSeq,
      span,
      channel,
      truth: { kind, talkMs, attempt },
      timers: [],
      answered: false,
      releasing: false,
    };
    this.byChannel.set(`${span.id}/${channel}`, call);
    const at = (ms: number, fn: () => void) => call.timers.push(this.clock.setTimer(ms, fn));
    at(10, () => span.emit({ type: 'proceeding', call }));
    if (known.kind === 'busy') at(20, () => this.release(call, Q850.USER_BUSY));
    else at(20, () => span.emit({ type: 'alerting', call, inbandAudio: true }));
    if (known.kind === 'answer')
      at(20 + known.ringMs, () => {
        call.answered = true;
        span.emit({ type: 'answered', call });
        at(known.talkMs, () => this.release(call, Q850.NORMAL_CLEARING));
      });
    return call;
  }

  /** @internal The controller cleared the call (with its cause); the network confirms shortly after. */
  hangup(call: VirtualCall, cause: number): void {
    if (call.releasing) return;
    call.releasing = true;
    for (const t of call.timers) t.cancel();
    this.clock.setTimer(20, () => this.finish(call, 'local', cause));
  }

  /** Minutes since the network started (for schedules and reports). */
  minutesElapsed(): number {
    return (this.clock.now() - this.startedAt) / 60_000;
  }

  /** Drops every call on a span without a release (the link went down). */
  dropAll(span: VirtualSpanSignalling): void {
    for (const [key, call] of this.byChannel) {
      if (call.span !== span) continue;
      for (const t of call.timers) t.cancel();
      this.byChannel.delete(key);
    }
  }

  private release(call: VirtualCall, cause: number): void {
    if (call.releasing) return;
    call.releasing = true;
    for (const t of call.timers) t.cancel();
    this.finish(call, 'remote', cause);
  }

  private finish(call: VirtualCall, by: 'local' | 'remote', cause: number): void {
    const key = `${call.span.id}/${call.channel}`;
    if (this.byChannel.get(key) !== call) return; // written off by a link drop
    this.byChannel.delete(key);
    call.onRelease?.({ cause, by, at: this.clock.now() });
    call.span.emit({ type: 'released', call, cause, by });
  }
}

/** One span of the virtual network, as the controller's Span sees it. */
export class VirtualSpanSignalling implements SpanSignalling {
  readonly kind = 'pri-net' as const;
  readonly bearerChannels: readonly number[];
  private up = false;
  private readonly events = new Emitter<[ev: SignallingEvent]>();

  constructor(
    private readonly network: VirtualNetwork,
    readonly id: number,
    channels: number,
  ) {
    this.bearerChannels = Array.from({ length: channels }, (_, i) => i + 1);
  }

  get linkUp(): boolean {
    return this.up;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** @internal */
  emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }

  bringUp(): void {
    this.up = true;
    this.emit({ type: 'link-up' });
    for (const ch of this.bearerChannels) this.emit({ type: 'channel-in-service', channel: ch });
  }

  /** Fault injection: the link drops and every call on it is gone. */
  linkDown(reason = 'virtual link down'): void {
    this.up = false;
    this.network.dropAll(this);
    this.emit({ type: 'link-down', reason });
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    checkDialledNumber('dial.number', setup.number, ANY_TRUNK_RULE);
    return this.network.placeCall(this, channel, setup);
  }

  answer(call: SignallingCall): void {
    this.network.answer(call as VirtualCall);
  }

  hangup(call: SignallingCall, cause: number): void {
    this.network.hangup(call as VirtualCall, cause);
  }

  resetChannel(channel: number): void {
    this.emit({ type: 'channel-in-service', channel });
  }

  async close(): Promise<void> {
    this.up = false;
  }
}
