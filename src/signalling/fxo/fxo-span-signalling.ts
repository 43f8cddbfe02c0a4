import { AmdResult, AmdVerdict } from '../../dsp/amd';
import { AnsweredBy } from '../../core/call-events';
import { ProgressClass } from '../../dsp/call-progress';
import { Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../span-signalling';
import { AnalogPort } from '../../../drivers/ports/analog-port';
import { FxoLine, FxoLineEvent, FxoLineOptions } from './fxo-line';
import { checkDialledNumber, DTMF_RULE } from '../../core/dialled-number';
import { Emitter, Unsubscribe } from '../../core/emitter';

/** What only analog lines can say about a call (the shared vocabulary has no words for it). */
export type FxoCallReport =
  | { type: 'amd'; call: SignallingCall; channel: number; result: AmdResult }
  | { type: 'progress'; call: SignallingCall; channel: number; cls: ProgressClass }
  | { type: 'answered-by'; call: SignallingCall; channel: number; by: 'polarity' | 'voice' };

/** AMD's verdicts in the shared vocabulary: NOTSURE (out of analysis time) is undecided. */
const ANSWERED_BY: Record<AmdVerdict, AnsweredBy> = { HUMAN: 'person', MACHINE: 'machine', NOTSURE: 'unknown' };

export interface FxoGroupOptions extends Omit<FxoLineOptions, 'clock' | 'logger'> {
  clock: Clock;
  logger?: Logger;
  /** Per-line overrides (channel number -> options), e.g. lines without polarity reversal. */
  perLine?: Record<number, Partial<FxoLineOptions>>;
}

interface FxoCall extends SignallingCall {
  readonly channel: number;
}

/**
 * A group of analog FXO lines as one span's signalling: channel N is the N-th port.
 * Outbound calls, answers and clears map onto the same events and Q.850 causes as
 * PRI, so the controller and pacing dial analog lines like any trunk. A line that
 * loses battery is out of service until it comes back.
 */
export class FxoSpanSignalling implements SpanSignalling {
  readonly kind = 'fxo' as const;
  readonly bearerChannels: readonly number[];
  readonly lines: readonly FxoLine[];
  private readonly calls = new Map<number, FxoCall>();
  private readonly events = new Emitter<[ev: SignallingEvent]>((err) =>
    this.logger.error('signalling event listener failed', { error: String(err) }),
  );
  private readonly reports = new Emitter<[r: FxoCallReport]>((err) =>
    this.logger.error('call report listener failed', { error: String(err) }),
  );
  private nextId = 1;
  private announced = false;
  private readonly logger: Logger;

  constructor(
    ports: readonly AnalogPort[],
    private readonly opts: FxoGroupOptions,
  ) {
    if (ports.length === 0) throw new InputError('fxo group', 'needs at least one line');
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger);
    const { perLine, ...common } = opts;
    this.lines = ports.map((port, i) => new FxoLine(i + 1, port, { ...common, ...(perLine?.[i + 1] ?? {}), logger: this.logger }));
    this.bearerChannels = this.lines.map((l) => l.channel);
    for (const line of this.lines) line.onEvent((ev) => this.onLineEvent(line, ev));
  }

  /** Up while at least one line has battery. */
  get linkUp(): boolean {
    return this.lines.some((l) => l.available);
  }

  /** Calls held (for leak checks): 0 once everything has cleared. */
  get heldCalls(): number {
    return this.calls.size;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    const off = this.events.on(listener);
    if (this.announced) return off;
    this.announced = true;
    // Tell the controller which lines are usable once it is listening.
    this.opts.clock.setTimer(0, () => {
      if (this.linkUp) this.emit({ type: 'link-up' });
      for (const l of this.lines) if (l.available) this.emit({ type: 'channel-in-service', channel: l.channel });
    });
    return off;
  }

  /** AMD verdicts, call-progress classes and how each answer was seen. */
  onReport(listener: (r: FxoCallReport) => void): Unsubscribe {
    return this.reports.on(listener);
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    const line = this.line(channel);
    checkDialledNumber('dial.number', setup.number, DTMF_RULE);
    const call: FxoCall = { id: this.nextId++, channel };
    if (!line.idle || this.calls.has(channel)) {
      // Ringing in (not yet offered) or still clearing: like glare on a trunk, the
      // controller is told the channel is unavailable and tries another line.
      this.opts.clock.setTimer(0, () => this.emit({ type: 'released', call, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' }));
      return call;
    }
    this.calls.set(channel, call);
    line.dial(setup.number);
    return call;
  }

  answer(call: SignallingCall): void {
    const c = this.own(call);
    if (c) this.line(c.channel).answer();
  }

  hangup(call: SignallingCall, cause: number): void {
    const c = this.own(call);
    if (c) this.line(c.channel).hangup(cause);
  }

  /** Hook flash on an answered call. */
  flash(call: SignallingCall): void {
    const c = this.own(call);
    if (c) this.line(c.channel).flash();
  }

  resetChannel(channel: number): void {
    const call = this.calls.get(channel);
    if (call) this.line(channel).hangup(Q850.NORMAL_UNSPECIFIED);
  }

  async close(): Promise<void> {
    for (const l of this.lines) {
      l.close();
      await l.port.close();
    }
    this.events.clear();
    this.reports.clear();
  }

  private line(channel: number): FxoLine {
    const l = this.lines[channel - 1];
    if (!l) throw new InputError('fxo channel', `no line ${channel} (lines 1-${this.lines.length})`);
    return l;
  }

  private own(call: SignallingCall): FxoCall | undefined {
    const c = call as FxoCall;
    return this.calls.get(c.channel) === c ? c : undefined;
  }

  private emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }

  private report(r: FxoCallReport): void {
    this.reports.emit(r);
  }

  private onLineEvent(line: FxoLine, ev: FxoLineEvent): void {
    const channel = line.channel;
    if (ev.type === 'available') return this.emit({ type: 'channel-in-service', channel });
    if (ev.type === 'unavailable') return this.emit({ type: 'channel-out-of-service', channel, reason: ev.reason });
    if (ev.type === 'offered') {
      const call: FxoCall = { id: this.nextId++, channel };
      this.calls.set(channel, call);
      return this.emit({ type: 'offered', call, channel, number: '', callerId: ev.callerId?.number });
    }
    const call = this.calls.get(channel);
    if (!call) return;
    switch (ev.type) {
      case 'proceeding':
        return this.emit({ type: 'proceeding', call });
      case 'alerting':
        return this.emit({ type: 'alerting', call, inbandAudio: true });
      case 'answered':
        this.report({ type: 'answered-by', call, channel, by: ev.by });
        return this.emit({ type: 'answered', call, answeredByWithinMs: line.amdMaxAnalysisMs });
      case 'amd':
        this.report({ type: 'amd', call, channel, result: ev.result });
        return this.emit({ type: 'answered-by', call, by: ANSWERED_BY[ev.result.verdict], reason: ev.result.reason });
      case 'progress':
        return this.report({ type: 'progress', call, channel, cls: ev.cls });
      case 'released':
        this.calls.delete(channel);
        this.logger.debug('fxo call released', { channel, cause: ev.cause, by: ev.by });
        return this.emit({ type: 'released', call, cause: ev.cause, by: ev.by });
    }
  }
}
