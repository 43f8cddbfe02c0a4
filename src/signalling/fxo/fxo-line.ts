import { DtmfSender } from '../../../drivers/spandsp/dtmf';
import { AmdParameters, AmdResult, AnsweringMachineDetector, DEFAULT_AMD } from '../../dsp/amd';
import { CallProgressAnalyser, ProgressClass, ProgressEvent } from '../../dsp/call-progress';
import { decodeAlaw, encodeAlaw } from '../../dsp/g711';
import { CHINA_TONE_PLAN, TonePlan } from '../../dsp/tone-plan';
import { Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { StateMachine } from '../../core/state-machine';
import { AnalogPort, AnalogPortEvent } from '../../../drivers/ports/analog-port';
import { CallerId } from './caller-id';
import { CallerIdListener } from './caller-id-listener';
import { FXO_LINE_TRANSITIONS, FxoLineEventName, FxoLineState } from './fxo-line-states';
import { RING_CADENCES, RingQualifier } from './ring-cadence';
import { Emitter, Unsubscribe } from '../../core/emitter';

export type { FxoLineState } from './fxo-line-states';

export type AnswerSupervision = 'polarity' | 'voice';

export interface FxoLineOptions {
  clock: Clock;
  logger?: Logger;
  plan?: TonePlan;
  /** How answer is read: 'voice' (default) by voice after ringing or a reversal, whichever comes first; 'polarity' only by a reversal. */
  answerSupervision?: AnswerSupervision;
  /** Incoming ring cadence zone (RING_CADENCES key, default 'cn'). */
  ringZone?: string;
  ringsBeforeOffer?: number;
  ringOffDebounceMs?: number;
  dialToneTimeoutMs?: number;
  /** On-hook time that the exchange reads as a clear, not a flash. */
  clearGuardMs?: number;
  flashMs?: number;
  polarityDebounceMs?: number;
  dtmf?: { levelDbm0?: number; onMs?: number; offMs?: number };
  dtmfMinLevelDbm0?: number;
  amd?: Partial<AmdParameters>;
}

export type FxoLineEvent =
  | { type: 'available' }
  | { type: 'unavailable'; reason: string }
  | { type: 'proceeding' }
  | { type: 'alerting'; by: 'ringback' | 'music' }
  | { type: 'answered'; by: 'polarity' | 'voice' }
  | { type: 'offered'; callerId?: CallerId }
  | { type: 'progress'; cls: ProgressClass }
  | { type: 'amd'; result: AmdResult }
  /** Final for the current call. */
  | { type: 'released'; cause: number; by: 'local' | 'remote' };

/** What an unanswered call's audio means, as a Q.850 cause. */
const FAILURE_CAUSE: Partial<Record<ProgressClass, number>> = {
  busy: Q850.USER_BUSY,
  congestion: Q850.NO_CIRCUIT_AVAILABLE,
  vacant: Q850.UNALLOCATED,
  announcement: Q850.SUBSCRIBER_ABSENT,
  silence: Q850.DESTINATION_OUT_OF_ORDER,
};

/**
 * One analog FXO loop-start line: seizes, waits for dial tone, dials DTMF, reads
 * call progress from the audio, answers incoming ringing, clears. Fed by its port's
 * events and audio frames; time comes from the injected clock.
 */
export class FxoLine {
  private readonly fsm: StateMachine<FxoLineState, FxoLineEventName>;
  private readonly logger: Logger;
  private readonly analyser: CallProgressAnalyser;
  private readonly qualifier: RingQualifier;
  private readonly pcm = new Int16Array(160);
  private readonly tx = new Int16Array(160);
  private readonly events = new Emitter<[ev: FxoLineEvent]>((err) =>
    this.logger.error('line event listener failed', { error: String(err) }),
  );
  private unsubscribe: () => void;
  private sender: DtmfSender | undefined;
  private readonly callerId: CallerIdListener;
  private amd: AnsweringMachineDetector | undefined;
  /** Recent frame levels and silence thresholds, so AMD can start at the first word of a voice answer. */
  private readonly levels: [number, number][] = [];
  private alerted = false;
  private answeredBy: 'polarity' | 'voice' | undefined;
  private ringStartedAt = 0;
  private ringsCounted = 0;
  private offered = false;
  private pendingCause: { cause: number; by: 'local' | 'remote' } | undefined;
  private polarityPending = false;
  /** Audio frames of the wrong size received (skipped). */
  badFrames = 0;

  constructor(
    readonly channel: number,
    readonly port: AnalogPort,
    private readonly opts: FxoLineOptions,
  ) {
    this.logger = (opts.logger ?? silentLogger).child({ fxo: channel });
    this.fsm = new StateMachine(`fxo line ${channel}`, FXO_LINE_TRANSITIONS, port.batteryPresent ? 'idle' : 'unavailable', {
      clock: opts.clock,
      historySize: 24,
    });
    this.analyser = new CallProgressAnalyser({ plan: opts.plan ?? CHINA_TONE_PLAN });
    this.qualifier = new RingQualifier({
      cadence: RING_CADENCES[opts.ringZone ?? 'cn'] ?? RING_CADENCES.cn,
      ringOffDebounceMs: opts.ringOffDebounceMs,
    });
    this.callerId = new CallerIdListener(opts.clock, this.logger, opts.dtmfMinLevelDbm0);
    this.unsubscribe = port.onEvent((ev) => this.onPortEvent(ev));
  }

  get state(): FxoLineState {
    return this.fsm.state;
  }

  get available(): boolean {
    return this.fsm.state !== 'unavailable';
  }

  get idle(): boolean {
    return this.fsm.state === 'idle';
  }

  /** The longest this line's AMD listens before it must give a verdict (ms after the answer). */
  get amdMaxAnalysisMs(): number {
    return this.opts.amd?.totalAnalysisTime ?? DEFAULT_AMD.totalAnalysisTime;
  }

  history() {
    return this.fsm.history();
  }

  onEvent(listener: (ev: FxoLineEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Seizes the line and dials `number` once dial tone is heard. */
  dial(number: string): void {
    this.fsm.transition('seize', number);
    this.resetCall();
    this.sender = new DtmfSender(this.opts.dtmf);
    this.sender.send(number);
    this.port.setHook('off');
    this.analyser.setMode('dial-tone');
    this.fsm.startTimer('dial-tone', this.opts.dialToneTimeoutMs ?? 3000, () => {
      this.logger.warn('no dial tone: line fault');
      this.release(Q850.NETWORK_OUT_OF_ORDER, 'remote');
    });
  }

  /** Answers incoming ringing (ring trip). */
  answer(): void {
    if (this.fsm.state !== 'incoming-ringing') return;
    this.fsm.stopTimer('ring-stopped');
    this.fsm.transition('answer-incoming');
    this.port.setHook('off');
    this.callerId.disarm(true);
    this.analyser.setMode('connected');
  }

  /** Starts clearing; 'released' follows once the line has been on-hook long enough. */
  hangup(cause: number): void {
    const s = this.fsm.state;
    if (s === 'incoming-ringing') {
      // Loop start cannot refuse a call: stop treating it as ours and let it ring out.
      this.fsm.transition('ignore');
      this.emitReleased(cause, 'local');
      return;
    }
    if (s === 'seizing' || s === 'dialing' || s === 'awaiting-answer' || s === 'connected' || s === 'flashing')
      this.release(cause, 'local');
  }

  /** A hook flash (transfer, call waiting) on an answered call. */
  flash(): void {
    if (this.fsm.state !== 'connected') return;
    const ms = this.opts.flashMs ?? 250;
    this.fsm.transition('flash');
    this.port.flash(ms);
    this.fsm.startTimer('flash', ms + 300, () => this.fsm.transition('flash-done'));
  }

  close(): void {
    this.fsm.stopAllTimers();
    this.unsubscribe();
    this.sender?.close();
    this.callerId.close();
  }

  private emit(ev: FxoLineEvent): void {
    this.events.emit(ev);
  }

  private emitReleased(cause: number, by: 'local' | 'remote'): void {
    this.emit({ type: 'released', cause, by });
  }

  private resetCall(): void {
    this.alerted = false;
    this.answeredBy = undefined;
    this.amd = undefined;
    this.levels.length = 0;
    this.pendingCause = undefined;
    this.polarityPending = false;
    this.fsm.stopTimer('polarity');
  }

  /** On-hook now; the call is released once the exchange has surely seen the clear. */
  private release(cause: number, by: 'local' | 'remote'): void {
    this.fsm.stopAllTimers();
    this.fsm.transition('release', `cause ${cause}`);
    this.port.setHook('on');
    this.sender?.close();
    this.sender = undefined;
    this.pendingCause = { cause, by };
    this.fsm.startTimer('clear', this.opts.clearGuardMs ?? 800, () => {
      this.fsm.transition('cleared');
      const p = this.pendingCause!;
      this.pendingCause = undefined;
      this.emitReleased(p.cause, p.by);
    });
  }

  private onPortEvent(ev: AnalogPortEvent): void {
    switch (ev.type) {
      case 'audio':
        return this.onAudio(ev.frame);
      case 'battery':
        return ev.present ? this.onBatteryBack() : this.onBatteryLost();
      case 'polarity':
        return this.onPolarity();
      case 'ring-begin':
        return this.onRingBegin();
      case 'ring-end':
        return this.onRingEnd();
    }
  }

  private onBatteryLost(): void {
    const s = this.fsm.state;
    if (s === 'unavailable') return;
    const hadCall = s !== 'idle' && s !== 'ignoring' && !(s === 'incoming-ringing' && !this.offered);
    const cause = this.pendingCause?.cause ?? Q850.NETWORK_OUT_OF_ORDER;
    const by = this.pendingCause?.by ?? 'remote';
    this.fsm.stopAllTimers();
    this.fsm.transition('battery-lost');
    this.port.setHook('on');
    this.sender?.close();
    this.sender = undefined;
    this.callerId.disarm(true);
    this.pendingCause = undefined;
    this.logger.warn('battery lost: line unavailable', { state: s });
    if (hadCall) this.emitReleased(cause, by);
    this.emit({ type: 'unavailable', reason: 'battery lost' });
  }

  private onBatteryBack(): void {
    if (this.fsm.state !== 'unavailable') return;
    this.fsm.transition('battery-back');
    this.emit({ type: 'available' });
  }

  /** A reversal counts once it has held for the debounce time; a reversal back within it was a glitch. */
  private onPolarity(): void {
    if (this.polarityPending) {
      this.polarityPending = false;
      this.fsm.stopTimer('polarity');
      return;
    }
    this.polarityPending = true;
    this.fsm.startTimer('polarity', this.opts.polarityDebounceMs ?? 64, () => {
      this.polarityPending = false;
      this.onPolarityConfirmed();
    });
  }

  private onPolarityConfirmed(): void {
    const s = this.fsm.state;
    // A reversal is an answer on any line: voice-supervised lines may still get one.
    if (s === 'awaiting-answer') {
      this.markAnswered('polarity', this.analyser.frameCount);
    } else if (s === 'connected' && this.answeredBy === 'polarity') {
      this.release(Q850.NORMAL_CLEARING, 'remote');
    }
  }

  private onAudio(frame: Uint8Array): void {
    const s = this.fsm.state;
    if (s === 'unavailable') return;
    if (frame.length !== this.pcm.length) {
      // A port must deliver 20 ms frames; a wrong one is reported and skipped, the call goes on.
      this.badFrames++;
      if (this.badFrames === 1 || this.badFrames % 1000 === 0) {
        this.logger.warn(
          new InputError(`${this.port.name} audio`, `frame of ${frame.length} bytes, expected ${this.pcm.length} (20 ms A-law)`).message,
          { count: this.badFrames },
        );
      }
      return;
    }
    decodeAlaw(frame, this.pcm);
    if (s === 'idle' || s === 'incoming-ringing' || s === 'ignoring') return this.callerId.feed(this.pcm);
    if (s === 'clearing') return;
    const events = this.analyser.push(this.pcm);
    const f = this.analyser.features!;
    this.levels.push([f.levelDbm0, f.silenceDbm0]);
    if (this.levels.length > 250) this.levels.shift();
    if (s === 'dialing') this.sendDtmfFrame();
    if (this.amd && !this.amd.result) {
      const result = this.amd.push(f.levelDbm0, f.silenceDbm0);
      if (result) this.emit({ type: 'amd', result });
    }
    for (const ev of events) this.onProgress(ev);
  }

  private sendDtmfFrame(): void {
    if (!this.sender) return;
    this.tx.fill(0);
    const n = this.sender.generate(this.tx);
    this.port.writeAudio(encodeAlaw(this.tx));
    if (n < this.tx.length) {
      this.sender.close();
      this.sender = undefined;
      this.fsm.transition('digits-sent');
      this.analyser.setMode('progress');
      this.emit({ type: 'proceeding' });
    }
  }

  private onProgress(ev: ProgressEvent): void {
    const s = this.fsm.state;
    this.emit({ type: 'progress', cls: ev.cls });
    if (s === 'seizing' && ev.cls === 'dial-tone') {
      this.fsm.stopTimer('dial-tone');
      this.fsm.transition('dial-tone');
      return;
    }
    if (s === 'awaiting-answer') {
      if ((ev.cls === 'ringback' || ev.cls === 'music') && !this.alerted) {
        this.alerted = true;
        this.emit({ type: 'alerting', by: ev.cls });
        return;
      }
      if (ev.cls === 'voice' && (this.opts.answerSupervision ?? 'voice') === 'voice') return this.markAnswered('voice', ev.sinceFrame);
      const cause = FAILURE_CAUSE[ev.cls];
      if (cause !== undefined) this.release(cause, 'remote');
      return;
    }
    if (s === 'connected' && (ev.cls === 'busy' || ev.cls === 'congestion')) this.release(Q850.NORMAL_CLEARING, 'remote');
  }

  private markAnswered(by: 'polarity' | 'voice', fromFrame: number): void {
    this.fsm.transition('answer', by);
    this.answeredBy = by;
    this.analyser.setMode('connected');
    this.emit({ type: 'answered', by });
    // AMD from the first word of a voice answer (replayed), or from now after a reversal.
    this.amd = new AnsweringMachineDetector(this.opts.amd);
    const back = this.analyser.frameCount - fromFrame;
    const replay = back > 0 ? this.levels.slice(-Math.min(back, this.levels.length)) : [];
    for (const [level, silence] of replay) {
      const result = this.amd.push(level, silence);
      if (result) {
        this.emit({ type: 'amd', result });
        break;
      }
    }
  }

  private onRingBegin(): void {
    const s = this.fsm.state;
    this.ringStartedAt = this.opts.clock.now();
    if (s === 'idle') {
      this.fsm.transition('ring');
      this.ringsCounted = 0;
      this.offered = false;
      this.callerId.armForRinging();
    } else if (s === 'incoming-ringing' || s === 'ignoring') {
      this.fsm.transition('ring');
    }
    this.fsm.stopTimer('ring-stopped');
  }

  private onRingEnd(): void {
    const s = this.fsm.state;
    if (s !== 'incoming-ringing' && s !== 'ignoring') return;
    const burst = this.opts.clock.now() - this.ringStartedAt;
    this.fsm.startTimer('ring-stopped', this.qualifier.abandonAfterMs, () => this.onRingingStopped());
    if (s === 'ignoring' || !this.qualifier.fits(burst)) return;
    this.ringsCounted++;
    if (!this.offered && this.ringsCounted >= (this.opts.ringsBeforeOffer ?? 2)) {
      this.offered = true;
      this.emit({ type: 'offered', callerId: this.callerId.callerId });
    }
  }

  private onRingingStopped(): void {
    const wasOffered = this.fsm.state === 'incoming-ringing' && this.offered;
    this.fsm.transition('ring-stopped');
    this.callerId.disarm(true);
    this.offered = false;
    if (wasOffered) this.emitReleased(Q850.NORMAL_CLEARING, 'remote');
  }
}
