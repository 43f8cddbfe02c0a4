import { AnsweredBy } from '../../core/call-events';
import { Clock, TimerHandle } from '../../core/clock';
import { Emitter, Unsubscribe } from '../../core/emitter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { decodeAlaw } from '../../dsp/g711';
import { ProgressClass } from '../../dsp/call-progress';
import { EARLY_FAILURES, InbandAnalysisOptions, InbandCallAnalysis } from '../../dsp/inband-call-analysis';
import { AUDIO_BLOCK_BYTES, TrunkAudio, ChannelAudioPort } from '../../../drivers/ports/channel-audio-port';
import { OutboundSetup, SignallingCall, SignallingEvent, SignallingLinkStatus, SpanSignalling } from '../span-signalling';

/** What a failure heard in early media means, as a Q.850 cause (as an analog line reads it). */
const EARLY_FAILURE_CAUSE: Partial<Record<ProgressClass, number>> = {
  busy: Q850.USER_BUSY,
  congestion: Q850.NO_CIRCUIT_AVAILABLE,
  vacant: Q850.UNALLOCATED,
  announcement: Q850.SUBSCRIBER_ABSENT,
};

export interface InbandAnalysingOptions extends InbandAnalysisOptions {
  /** The controller's id of this span (TrunkAudio is asked by span and channel). */
  span: number;
  /** The span's voice paths. */
  audio: TrunkAudio;
  clock: Clock;
  logger?: Logger;
  /** Release a call whose early media is a failure's tone or announcement (default true): the network would, later. */
  releaseOnEarlyFailure?: boolean;
}

interface AnalysedCall {
  token: SignallingCall;
  channel: number;
  maxAnalysisMs: number;
  port?: ChannelAudioPort;
  analysis?: InbandCallAnalysis;
  released?: boolean;
  /** The bound in clock time too: audio that stops or lags must not hold the verdict past what was promised. */
  bound?: TimerHandle;
}

/**
 * A digital trunk span (PRI, China No.1) whose outbound calls may also be listened
 * to: wraps the span's signalling and, on the bearer channel of each call set up
 * with `inband` (a campaign with AMD on), runs the
 * in-band analysis from the first call-progress message (early media) until it has
 * said who answered, bounded by the maximum analysis time after the answer. The
 * answer is reported with that bound ('answered' with answeredByWithinMs), then the
 * verdict as 'answered-by', the vocabulary an analog line's AMD uses, so campaigns
 * treat every trunk alike. Colour ring-back is ringing, never an answer: only the
 * signalling answers a call here. A failure heard in early media (busy, vacant
 * tone, a "switched off" announcement) ends the call with the matching cause.
 */
export class InbandAnalysingSignalling implements SpanSignalling {
  private readonly events = new Emitter<[ev: SignallingEvent]>((err) =>
    this.logger.error('signalling event listener failed', { error: String(err) }),
  );
  private readonly calls = new Map<SignallingCall, AnalysedCall>();
  private readonly logger: Logger;
  private readonly pcm = new Int16Array(AUDIO_BLOCK_BYTES);
  /** The wrapped signalling's link detail, where it has one. */
  readonly linkStatus?: () => SignallingLinkStatus;
  /** The wrapped signalling's ALERTING/ACM towards a caller, where it has one (privacy calls rely on it). */
  readonly alerting?: (call: SignallingCall) => void;

  constructor(
    private readonly inner: SpanSignalling,
    private readonly opts: InbandAnalysingOptions,
  ) {
    this.logger = (opts.logger ?? silentLogger).child({ inband: opts.span });
    inner.onEvent((ev) => this.onInner(ev));
    if (inner.linkStatus) this.linkStatus = () => inner.linkStatus!();
    if (inner.alerting) this.alerting = (call) => inner.alerting!(call);
  }

  get kind() {
    return this.inner.kind;
  }

  get bearerChannels() {
    return this.inner.bearerChannels;
  }

  get linkUp(): boolean {
    return this.inner.linkUp;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    const token = this.inner.setup(channel, setup);
    // Only the calls a campaign asks about are listened to: the rest cost nothing.
    if (setup.inband) this.calls.set(token, { token, channel, maxAnalysisMs: setup.inband.maxAnalysisMs });
    return token;
  }

  answer(call: SignallingCall): void {
    this.inner.answer(call);
  }

  hangup(call: SignallingCall, cause: number): void {
    this.inner.hangup(call, cause);
  }

  resetChannel(channel: number): void {
    this.inner.resetChannel(channel);
  }

  channelFree(channel: number): boolean {
    return this.inner.channelFree?.(channel) ?? true;
  }

  /** Stops listening to every call (gives their voice paths back); the calls go on. */
  stopListening(): void {
    for (const c of [...this.calls.values()]) this.stop(c);
    this.calls.clear();
  }

  async close(): Promise<void> {
    this.stopListening();
    await this.inner.close();
  }

  private onInner(ev: SignallingEvent): void {
    switch (ev.type) {
      case 'proceeding':
      case 'alerting':
      case 'progress': {
        const c = this.calls.get(ev.call);
        if (c) this.listen(c);
        return this.emit(ev);
      }
      case 'answered': {
        const c = this.calls.get(ev.call);
        if (!c) return this.emit(ev);
        this.listen(c);
        if (!c.analysis) return this.emit(ev);
        c.analysis.answered();
        c.bound = this.opts.clock.setTimer(c.maxAnalysisMs, () => this.verdict(c, 'unknown', 'TOOLONG'));
        return this.emit({ ...ev, answeredByWithinMs: c.maxAnalysisMs });
      }
      case 'released': {
        const c = this.calls.get(ev.call);
        if (c) {
          this.stop(c);
          this.calls.delete(ev.call);
        }
        return this.emit(ev);
      }
      default:
        return this.emit(ev);
    }
  }

  /** Opens the call's voice path and starts the analysis (once). */
  private listen(c: AnalysedCall): void {
    if (c.port || c.released) return;
    const port = this.opts.audio.open(this.opts.span, c.channel);
    if (!port) return;
    c.port = port;
    c.analysis = new InbandCallAnalysis({ ...this.opts, maxAnalysisMs: c.maxAnalysisMs });
    port.onBlock((frame) => this.onBlock(c, frame));
  }

  private onBlock(c: AnalysedCall, frame: Uint8Array): void {
    if (!c.analysis || frame.length !== AUDIO_BLOCK_BYTES) return;
    decodeAlaw(frame, this.pcm);
    for (const ev of c.analysis.push(this.pcm)) {
      if (ev.type === 'verdict') return this.verdict(c, ev.verdict.by, ev.verdict.reason);
      const cause = EARLY_FAILURE_CAUSE[ev.cls];
      if (cause !== undefined && EARLY_FAILURES.has(ev.cls) && (this.opts.releaseOnEarlyFailure ?? true)) {
        this.logger.debug('failure heard in early media', { channel: c.channel, heard: ev.cls, cause });
        this.stop(c);
        this.inner.hangup(c.token, cause);
        return;
      }
    }
  }

  private verdict(c: AnalysedCall, by: AnsweredBy, reason: string): void {
    if (c.released) return;
    this.logger.debug('answered by', { channel: c.channel, by, reason });
    // The voice path is no longer needed: given back before the call goes to a seat.
    this.stop(c);
    this.emit({ type: 'answered-by', call: c.token, by, reason });
  }

  private stop(c: AnalysedCall): void {
    c.bound?.cancel();
    c.released = true;
    c.analysis = undefined;
    void c.port?.close();
    c.port = undefined;
  }

  private emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }
}
