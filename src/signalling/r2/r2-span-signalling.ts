import { Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../span-signalling';
import { CasPort } from '../../../drivers/ports/cas-port';
import { DeadlineFeeder } from '../../core/deadline-feeder';
import { MfDetectorOptions } from './mf-detector';
import { R2Channel, R2ChannelEvent } from './r2-channel';
import { R2TraceEntry } from './trace';
import { R2Variant } from './variants';
import { checkDialledNumber, r2MfRule } from '../../core/dialled-number';
import { Emitter, Unsubscribe } from '../../core/emitter';

export interface R2SpanOptions {
  variant: R2Variant;
  /** One port per bearer channel. */
  ports: readonly CasPort[];
  clock: Clock;
  logger?: Logger;
  /** Glare policy of this end (the controller yields by default, as a CPE yields to the network on PRI). */
  glare?: 'yield' | 'hold';
  detector?: MfDetectorOptions;
  trace?: (e: R2TraceEntry) => void;
  /**
   * The span's layer-1 alarms (LOS, AIS; DAHDI's span monitor on a board, the
   * simulated cable in the rig): CAS bits mean nothing while the line is down.
   */
  lineAlarms?: { onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe };
}

interface Held {
  token: SignallingCall;
  direction: 'outbound' | 'inbound';
  offered: boolean;
}

/**
 * China No.1 (or another R2 variant) as a span's signalling: each bearer channel
 * is an R2Channel engine; their events become the same SignallingEvents and Q.850
 * causes PRI gives, so the controller and pacing cannot tell the two apart.
 */
export class R2SpanSignalling implements SpanSignalling {
  readonly kind = 'r2-cn' as const;
  readonly bearerChannels: readonly number[];
  readonly channels = new Map<number, R2Channel>();
  private readonly held = new Map<number, Held>();
  /** Our outbound call that lost a glare, kept until the far end's call is offered or gone. */
  private readonly glareLosers = new Map<number, SignallingCall>();
  private readonly feeder: DeadlineFeeder;
  private readonly logger: Logger;
  private readonly events = new Emitter<[ev: SignallingEvent]>((err) =>
    this.logger.error('signalling event listener failed', { error: String(err) }),
  );
  private seq = 0;
  private started = false;
  private up = false;
  private inAlarm = false;
  private circuitsStarted = false;
  private readonly stopAlarms: Unsubscribe | undefined;

  constructor(private readonly opts: R2SpanOptions) {
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger);
    this.feeder = new DeadlineFeeder(opts.clock);
    this.bearerChannels = opts.ports.map((p) => p.channel);
    for (const port of opts.ports) {
      const ch = new R2Channel({
        variant: opts.variant,
        port,
        now: () => opts.clock.now(),
        onDeadlineChanged: (c) => this.feeder.changed(c),
        glare: opts.glare ?? 'yield',
        detector: opts.detector,
      });
      ch.on((ev) => this.onChannelEvent(ch.channel, ev));
      if (opts.trace) ch.onTrace(opts.trace);
      this.channels.set(port.channel, ch);
      this.feeder.add(ch);
    }
    this.stopAlarms = opts.lineAlarms?.onAlarm((inAlarm, reason) => this.lineAlarm(inAlarm, reason));
  }

  get linkUp(): boolean {
    return this.up;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    const off = this.events.on(listener);
    // CAS needs no link set-up: report the span and its idle circuits once someone listens.
    if (!this.started) {
      this.started = true;
      this.opts.clock.setTimer(0, () => {
        if (this.inAlarm) return; // comes up when the line does
        this.up = true;
        this.circuitsStarted = true;
        this.emit({ type: 'link-up' });
        for (const ch of this.channels.values()) ch.start();
      });
    }
    return off;
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    const ch = this.channels.get(channel);
    if (!ch) throw new InputError('r2 setup', `channel ${channel} is not a bearer channel of this span`);
    checkDialledNumber('dial.number', setup.number, r2MfRule(this.opts.variant.maxDnisDigits));
    const token: SignallingCall = { id: ++this.seq };
    if (!this.channelFree(channel)) {
      // The far end got there first (a seizure in flight): refuse so the dial tries another channel.
      this.opts.clock.setTimer(0, () =>
        this.emit({ type: 'released', call: token, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' }),
      );
      return token;
    }
    this.held.set(channel, { token, direction: 'outbound', offered: false });
    ch.seize(setup.number, setup.callerId ?? '');
    return token;
  }

  /**
   * An idle circuit with no seizure of the far end's on it. A far-end seizure is
   * offered only once its number is in (seconds of MF): until then the controller
   * would keep hunting the circuit, each call refused at once.
   */
  channelFree(channel: number): boolean {
    return this.channels.get(channel)?.isIdle === true && !this.held.has(channel);
  }

  answer(call: SignallingCall): void {
    const channel = this.channelOf(call);
    if (channel !== undefined) this.channels.get(channel)!.answer();
  }

  hangup(call: SignallingCall, cause: number): void {
    const channel = this.channelOf(call);
    if (channel !== undefined) this.channels.get(channel)!.hangup(cause);
  }

  resetChannel(channel: number): void {
    this.channels.get(channel)?.forceRelease(Q850.RECOVERY_ON_TIMER_EXPIRY);
  }

  /** Blocks an idle circuit towards the far end (maintenance). */
  block(channel: number): void {
    this.channels.get(channel)?.block();
  }

  unblock(channel: number): void {
    this.channels.get(channel)?.unblock();
  }

  /**
   * The line failed: the span is down (the controller ends its calls with cause
   * 38) and every circuit drops what it had. The line back: every circuit is idle
   * and in service at once; nothing waits for a timer.
   */
  private lineAlarm(inAlarm: boolean, reason: string): void {
    if (inAlarm === this.inAlarm) return;
    this.inAlarm = inAlarm;
    this.logger.warn(inAlarm ? 'r2 span line alarm: circuits out of service' : 'r2 span line back', { reason });
    // Before anyone listens there are no calls; the first listener sees the line as it is then.
    if (!this.started) return;
    if (inAlarm) {
      this.up = false;
      this.emit({ type: 'link-down', reason: `line alarm ${reason}` });
      this.glareLosers.clear();
      if (this.circuitsStarted) for (const ch of this.channels.values()) ch.lineAlarm(true);
      this.held.clear();
      return;
    }
    this.up = true;
    this.emit({ type: 'link-up' });
    const first = !this.circuitsStarted;
    this.circuitsStarted = true;
    for (const ch of this.channels.values()) {
      if (first) ch.start();
      else ch.lineAlarm(false);
    }
  }

  async close(): Promise<void> {
    this.stopAlarms?.();
    this.feeder.close();
    this.events.clear();
  }

  private channelOf(call: SignallingCall): number | undefined {
    for (const [channel, h] of this.held) if (h.token === call) return channel;
    return undefined;
  }

  private onChannelEvent(channel: number, ev: R2ChannelEvent): void {
    const held = this.held.get(channel);
    switch (ev.type) {
      case 'fault':
        this.logger.warn('r2 fault', { channel, fault: ev.error.fault, cause: ev.error.q850, detail: ev.error.detail });
        return;
      case 'in-service':
        return this.emit({ type: 'channel-in-service', channel });
      case 'out-of-service':
        return this.emit({ type: 'channel-out-of-service', channel, reason: ev.reason });
      case 'glare':
        if (held) this.glareLosers.set(channel, held.token);
        this.held.set(channel, { token: { id: ++this.seq }, direction: 'inbound', offered: false });
        return;
      case 'offered': {
        let h = held;
        if (!h || h.direction !== 'inbound') {
          h = { token: { id: ++this.seq }, direction: 'inbound', offered: false };
          this.held.set(channel, h);
        }
        h.offered = true;
        // The lost outbound call is now superseded: the controller's Span resolves the glare.
        this.glareLosers.delete(channel);
        return this.emit({ type: 'offered', call: h.token, channel, number: ev.call.dnis, callerId: ev.call.ani || undefined });
      }
      case 'released': {
        const loser = this.glareLosers.get(channel);
        if (loser) {
          this.glareLosers.delete(channel);
          this.emit({ type: 'released', call: loser, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' });
        }
        if (!held) return;
        this.held.delete(channel);
        // An inbound call the controller never saw needs no release.
        if (held.direction === 'inbound' && !held.offered) return;
        return this.emit({ type: 'released', call: held.token, cause: ev.cause, by: ev.by });
      }
      default:
        // Progress and answer matter only for our own calls (an inbound answer is ours to give).
        if (!held || held.direction !== 'outbound') return;
        if (ev.type === 'alerting') return this.emit({ type: 'alerting', call: held.token, inbandAudio: true });
        return this.emit({ type: ev.type, call: held.token });
    }
  }

  private emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }
}
