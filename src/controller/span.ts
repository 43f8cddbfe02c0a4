import { Channel, ChannelState, BUSY_STATES } from '../channels/channel';
import { CallEvent } from '../core/call-events';
import { Clock } from '../core/clock';
import { rateLimitedLogger } from '../core/log-limiter';
import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../signalling/span-signalling';
import { TrunkCall } from './trunk-call';

export interface SpanOptions {
  clock: Clock;
  logger?: Logger;
  /** How long clearing may take before the channel is reset (ms). */
  releaseGuardMs?: number;
  /** Decides what to do with a call the far end offers; the default rejects it. */
  onIncoming?: (call: TrunkCall) => void;
}

export type ChannelCounts = Record<ChannelState, number>;

/** Every channel state at zero: the start of a count by state. */
export function emptyChannelCounts(): ChannelCounts {
  return { 'out-of-service': 0, idle: 0, dialing: 0, proceeding: 0, alerting: 0, offered: 0, connected: 0, releasing: 0 };
}

/**
 * One span: its channels' state machines, and the routing of its signalling's
 * events to the calls that own the channels. Whatever happens on the line, every
 * call ends exactly once and every channel returns to idle or out-of-service.
 */
export class Span {
  readonly channels: Channel[];
  private readonly byNumber = new Map<number, Channel>();
  private readonly calls = new Map<SignallingCall, TrunkCall>();
  /** The same calls by id: a channel names its owner by id. */
  private readonly callsById = new Map<string, TrunkCall>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private seq = 0;
  private outOfOrderCount = 0;
  private readonly callObservers = new Set<(ev: CallEvent) => void>();
  onIncoming: (call: TrunkCall) => void;

  constructor(
    readonly id: number,
    readonly signalling: SpanSignalling,
    private readonly opts: SpanOptions,
  ) {
    this.clock = opts.clock;
    // What the line sends is logged through a limiter: a hostile line cannot flood the log.
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger).child({ span: id });
    this.onIncoming = opts.onIncoming ?? ((call) => call.hangup(Q850.CALL_REJECTED));
    // Highest channel first: we hunt from the top, opposite to a network hunting from the bottom.
    this.channels = [...signalling.bearerChannels].sort((a, b) => b - a).map((n) => new Channel(id, n, this.clock));
    for (const ch of this.channels) this.byNumber.set(ch.number, ch);
    signalling.onEvent((ev) => this.onSignalling(ev));
  }

  get linkUp(): boolean {
    return this.signalling.linkUp;
  }

  channel(n: number): Channel | undefined {
    return this.byNumber.get(n);
  }

  /** The highest-numbered idle channel not in `exclude`. */
  hunt(exclude?: ReadonlySet<number>): Channel | undefined {
    if (!this.signalling.linkUp) return undefined;
    for (const ch of this.channels) if (this.free(ch) && !exclude?.has(ch.number)) return ch;
    return undefined;
  }

  idleCount(): number {
    let n = 0;
    if (!this.signalling.linkUp) return 0;
    for (const ch of this.channels) if (this.free(ch)) n++;
    return n;
  }

  /**
   * Every channel in service: the link is up, no channel is out of service (not
   * yet restored, or faulted), and no idle channel is held by the far end unseen.
   * A channel carrying a call is in service: a nailed-up agent's leg, a call that
   * outlived a restart of the campaign, do not make the span "not ready".
   */
  inService(): boolean {
    if (!this.signalling.linkUp) return false;
    return this.channels.every((ch) => ch.state !== 'out-of-service' && (!ch.isIdle || this.free(ch)));
  }

  /** Idle here and not held by the far end unseen (hunting it would only be refused, at once). */
  private free(ch: Channel): boolean {
    return ch.isIdle && this.signalling.channelFree?.(ch.number) !== false;
  }

  counts(): ChannelCounts {
    const c = emptyChannelCounts();
    for (const ch of this.channels) c[ch.state]++;
    return c;
  }

  /** Call-progress events the far end sent out of order (each logged): a line-quality figure. */
  get outOfOrderEvents(): number {
    return this.outOfOrderCount;
  }

  /** Channels that are busy with no live call behind them: should always be empty. */
  leakedChannels(): Channel[] {
    return this.channels.filter((ch) => BUSY_STATES.has(ch.state) && (!ch.owner || !this.callsById.has(ch.owner)));
  }

  /** Every call event on this span (telemetry, recording); returns the unsubscribe function. */
  observeCalls(listener: (ev: CallEvent) => void): () => void {
    this.callObservers.add(listener);
    return () => this.callObservers.delete(listener);
  }

  activeCalls(): TrunkCall[] {
    return [...this.calls.values()];
  }

  /** Seizes an idle channel and sends the setup. */
  placeCall(channel: Channel, setup: OutboundSetup): TrunkCall {
    const token = this.signalling.setup(channel.number, setup);
    const call = this.newCall('outbound', channel, setup.number, setup.callerId, token);
    channel.apply('dial');
    call.emit({
      type: 'dialing',
      callId: call.id,
      span: this.id,
      channel: channel.number,
      at: this.clock.now(),
      number: setup.number,
      callerId: setup.callerId,
    });
    return call;
  }

  /** Answers an offered call. */
  accept(call: TrunkCall): void {
    const ch = this.byNumber.get(call.channel);
    if (!ch || ch.owner !== call.id || call.state !== 'setup') return;
    ch.apply('accept');
    this.signalling.answer(call.token);
    call.markAnswered();
  }

  /** Tells the caller of an offered call, not yet answered, that it is ringing (where the signalling can). */
  ringback(call: TrunkCall): void {
    const ch = this.byNumber.get(call.channel);
    if (!ch || ch.owner !== call.id || call.state !== 'setup' || call.direction !== 'inbound') return;
    this.signalling.alerting?.(call.token);
  }

  private newCall(
    direction: 'outbound' | 'inbound',
    channel: Channel,
    number: string,
    callerId: string | undefined,
    token: SignallingCall,
  ): TrunkCall {
    const id = `s${this.id}c${channel.number}-${++this.seq}`;
    const call = new TrunkCall(id, direction, this.id, channel.number, number, callerId, token, this.clock, (c, cause) =>
      this.hangup(c, cause),
    );
    channel.owner = id;
    call.on((ev) => {
      for (const observe of this.callObservers) observe(ev);
    });
    this.calls.set(token, call);
    this.callsById.set(id, call);
    return call;
  }

  private hangup(call: TrunkCall, cause: number): void {
    const ch = this.byNumber.get(call.channel);
    // A channel its call still owns is busy, and every busy state takes hangup.
    if (ch && ch.owner === call.id && ch.state !== 'releasing') ch.apply('hangup', `cause ${cause}`);
    this.signalling.hangup(call.token, cause);
    // Clearing must finish; if the far end never completes it, reset the channel.
    const guardMs = this.opts.releaseGuardMs ?? 32_000;
    const guard = this.clock.setTimer(guardMs, () => {
      if (!this.calls.has(call.token)) return;
      this.logger.warn('release not completed in time: resetting channel', { channel: call.channel, call: call.id });
      this.finishCall(call, Q850.RECOVERY_ON_TIMER_EXPIRY, 'fault');
      const c = this.byNumber.get(call.channel);
      if (c && c.state !== 'out-of-service') c.apply('fault', 'release guard');
      this.signalling.resetChannel(call.channel);
    });
    void call.ended.then(() => guard.cancel());
  }

  private forgetCall(call: TrunkCall): void {
    this.calls.delete(call.token);
    this.callsById.delete(call.id);
  }

  private finishCall(call: TrunkCall, cause: number, by: 'local' | 'remote' | 'fault'): void {
    this.forgetCall(call);
    const ch = this.byNumber.get(call.channel);
    if (ch && ch.owner === call.id) ch.apply('released', `cause ${cause}`);
    call.finish(cause, by);
  }

  /**
   * A call-progress message the channel's state does not take (CALL PROCEEDING
   * after ALERTING, ALERTING after the answer) is the far end's protocol error, not
   * ours: the channel stays where it is, and the event is logged and counted.
   */
  private advance(ch: Channel, event: 'proceeding' | 'alerting' | 'progress', call: TrunkCall): void {
    if (ch.can(event)) {
      ch.apply(event);
      return;
    }
    this.outOfOrderCount++;
    this.logger.warn('call progress out of order for the channel state: channel left as it is', {
      channel: ch.number,
      state: ch.state,
      event,
      call: call.id,
    });
  }

  private onSignalling(ev: SignallingEvent): void {
    switch (ev.type) {
      case 'link-up':
        this.logger.info('signalling link up');
        return;
      case 'link-down': {
        this.logger.warn('signalling link down: clearing calls', { reason: ev.reason, calls: this.calls.size });
        for (const call of [...this.calls.values()]) this.finishCall(call, Q850.NETWORK_OUT_OF_ORDER, 'fault');
        for (const ch of this.channels) ch.apply('fault', ev.reason);
        return;
      }
      case 'channel-in-service': {
        const ch = this.byNumber.get(ev.channel);
        if (ch && (ch.state === 'out-of-service' || ch.state === 'idle')) ch.apply('restore');
        return;
      }
      case 'channel-out-of-service': {
        const ch = this.byNumber.get(ev.channel);
        if (!ch) return;
        const call = ch.owner === undefined ? undefined : this.callsById.get(ch.owner);
        if (call) this.finishCall(call, ev.cause ?? Q850.TEMPORARY_FAILURE, 'fault');
        ch.apply('fault', ev.reason);
        return;
      }
      case 'offered':
        return this.onOffered(ev.call, ev.channel, ev.number, ev.callerId);
      default:
        return this.onCallEvent(ev);
    }
  }

  private onOffered(token: SignallingCall, channelNumber: number, number: string, callerId: string | undefined): void {
    const ch = this.byNumber.get(channelNumber);
    if (!ch || (ch.state !== 'idle' && ch.state !== 'dialing')) {
      // A busy or unknown channel: the far end is wrong; refuse without touching state.
      this.logger.warn('offer on unavailable channel refused', { channel: channelNumber, state: ch?.state });
      this.signalling.hangup(token, ch ? Q850.REQUESTED_CHANNEL_UNAVAILABLE : Q850.CHANNEL_UNACCEPTABLE);
      return;
    }
    if (ch.state === 'dialing') {
      // Glare: the network's call wins the channel; ours is withdrawn and retried elsewhere.
      const ours = ch.owner === undefined ? undefined : this.callsById.get(ch.owner);
      this.logger.info('glare: network took the channel we picked', { channel: channelNumber, call: ours?.id });
      ch.apply('glare');
      if (ours) {
        ours.lostToGlare = true;
        this.forgetCall(ours);
        this.signalling.hangup(ours.token, Q850.REQUESTED_CHANNEL_UNAVAILABLE);
        ours.finish(Q850.REQUESTED_CHANNEL_UNAVAILABLE, 'fault');
      }
    } else {
      ch.apply('offer');
    }
    const call = this.newCall('inbound', ch, number, callerId, token);
    call.emit({ type: 'offered', callId: call.id, span: this.id, channel: ch.number, at: this.clock.now(), number, callerId });
    this.onIncoming(call);
  }

  private onCallEvent(
    ev: Exclude<SignallingEvent, { type: 'link-up' | 'link-down' | 'channel-in-service' | 'channel-out-of-service' | 'offered' }>,
  ): void {
    const call = this.calls.get(ev.call);
    if (!call) return; // a call we already wrote off (glare, link down, guard)
    const ch = this.byNumber.get(call.channel)!;
    const base = { callId: call.id, span: this.id, channel: call.channel, at: this.clock.now() };
    switch (ev.type) {
      case 'proceeding':
        this.advance(ch, 'proceeding', call);
        call.emit({ type: 'proceeding', ...base });
        return;
      case 'alerting':
        this.advance(ch, 'alerting', call);
        call.emit({ type: 'alerting', ...base, inbandAudio: ev.inbandAudio });
        return;
      case 'progress':
        this.advance(ch, 'progress', call);
        call.emit({ type: 'progress', ...base, inbandAudio: ev.inbandAudio });
        return;
      case 'answered':
        if (ch.state === 'releasing') return;
        ch.apply('answer');
        call.markAnswered(ev.answeredByWithinMs);
        return;
      case 'answered-by':
        call.markAnsweredBy(ev.by, ev.reason);
        return;
      case 'released':
        this.finishCall(call, ev.cause, ev.by);
        return;
    }
  }
}
