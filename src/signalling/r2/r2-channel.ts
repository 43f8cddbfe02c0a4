/*
 * Why this file is over 400 lines: it is the glue of one R2 circuit, and every
 * method reads and writes the same few pieces of state (the line machine, the
 * current register, the release in progress, the MF tone of this frame). The
 * parts that stand alone are already apart: the line table (line-signalling.ts),
 * the registers (register-forward.ts, register-backward.ts), MF tones
 * (mf-detector.ts, mf-generator.ts), the variants (variants.ts). Splitting the
 * rest would turn that shared state into a protocol between objects.
 */
import { TimerHandle, VirtualClock } from '../../core/clock';
import { Q850 } from '../../core/q850';
import { StateMachine } from '../../core/state-machine';
import { CasPort } from '../../../drivers/ports/cas-port';
import { decodeRx, describeRx, LINE_TRANSITIONS, LineEvent, LineState } from './line-signalling';
import { MfDetector, MfDetectorOptions } from './mf-detector';
import { MfGenerator } from './mf-generator';
import { R2FaultCode, R2ProtocolError } from './r2-errors';
import { BackwardRegister, BackwardRegisterHooks, CalledLineStatus, InboundCallData } from './register-backward';
import { ForwardRegister, MfGroup } from './register-forward';
import { formatBits, R2TraceEntry } from './trace';
import { Abcd, R2Variant } from './variants';
import { checkDialledNumber, r2MfRule } from '../../core/dialled-number';
import { Emitter, Unsubscribe } from '../../core/emitter';

export type R2ChannelEvent =
  | { type: 'proceeding' }
  | { type: 'alerting' }
  | { type: 'answered' }
  | { type: 'offered'; call: InboundCallData }
  /** Our outbound seizure lost to the far end's (glare, we yield); an 'offered' may follow. */
  | { type: 'glare' }
  | { type: 'released'; cause: number; by: 'local' | 'remote' }
  | { type: 'in-service' }
  | { type: 'out-of-service'; reason: string }
  | { type: 'fault'; error: R2ProtocolError };

export interface R2ChannelOptions {
  variant: R2Variant;
  port: CasPort;
  /** The owner's time, read when a bit change or frame arrives (the engine keeps no clock of its own). */
  now: () => number;
  /** Told after every input that the engine's next deadline may have moved. */
  onDeadlineChanged?: (channel: R2Channel) => void;
  /** On glare, give the circuit to the far end's call ('yield') or wait for it to yield ('hold'). */
  glare?: 'yield' | 'hold';
  detector?: MfDetectorOptions;
  /** Backward: a say on the complete number before group B (vacant / congestion in group A). */
  numberComplete?: BackwardRegisterHooks['numberComplete'];
}

/**
 * One R2 circuit: line signalling on the port's ABCD bits, the register of the
 * current call (forward or backward) on its audio, and the call's outcome.
 * It owns neither loop nor clock: the owner feeds bit changes and frames through
 * the port, calls feedTime(), and asks nextDeadline() when to call it next.
 */
export class R2Channel {
  readonly channel: number;
  private readonly clock: VirtualClock;
  private readonly line: StateMachine<LineState, LineEvent>;
  private readonly port: CasPort;
  private readonly variant: R2Variant;
  private readonly events = new Emitter<[ev: R2ChannelEvent]>();
  private readonly tracers = new Emitter<[e: R2TraceEntry]>();
  private forward: ForwardRegister | undefined;
  private backward: BackwardRegister | undefined;
  private readonly generatorFwd: MfGenerator;
  private readonly generatorBwd: MfGenerator;
  private detector: MfDetector | undefined;
  private readonly detectorFwd: MfDetector;
  private readonly detectorBwd: MfDetector;
  private generator: MfGenerator | undefined;
  private readonly frame: Uint8Array;
  /** Cause and side of the release in progress. */
  private release: { cause: number; by: 'local' | 'remote' } | undefined;
  private answerWanted = false;
  private registerDone = false;
  private outOfService = false;
  /** The circuit is to be blocked when the line returns (blocked before or during the alarm, not unblocked since). */
  private blockedBeforeAlarm = false;
  /** A received bit change waiting out the recognition time. */
  private pendingBits: TimerHandle | undefined;
  /** The bits last acted on. */
  private recognisedBits: Abcd | undefined;

  constructor(private readonly opts: R2ChannelOptions) {
    this.variant = opts.variant;
    this.port = opts.port;
    this.channel = opts.port.channel;
    this.clock = new VirtualClock(opts.now());
    this.line = new StateMachine(`r2 channel ${this.channel} line`, LINE_TRANSITIONS, 'idle', { clock: this.clock, historySize: 24 });
    this.generatorFwd = new MfGenerator('forward');
    this.generatorBwd = new MfGenerator('backward');
    this.detectorFwd = new MfDetector('forward', opts.detector);
    this.detectorBwd = new MfDetector('backward', opts.detector);
    this.frame = new Uint8Array(160);
    this.port.setTxBits(this.variant.line.forward.idle);
    this.port.onRxBits(() => this.input(() => this.bitsChanged()));
    this.port.onAudio((frame) => this.input(() => this.onAudio(frame)));
  }

  get state(): LineState {
    return this.line.state;
  }

  get lineHistory() {
    return this.line.history();
  }

  /** Idle both ways and free for a call. */
  get isIdle(): boolean {
    return this.line.state === 'idle';
  }

  on(listener: (ev: R2ChannelEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  onTrace(listener: (e: R2TraceEntry) => void): Unsubscribe {
    return this.tracers.on(listener);
  }

  // ---- inputs from the owner (each runs at the owner's time) ----------------

  /** Reads the bits already on the line (at start-up) and reports the circuit's state. */
  start(): void {
    this.input(() => this.doStart());
  }

  /** The call's register signalling (MF) is over: the timeslot carries the call's audio from now on. */
  get registerComplete(): boolean {
    return this.registerDone;
  }

  /** Forward: seizes the circuit and sends `dnis` (and `ani` when asked). */
  seize(dnis: string, ani = ''): void {
    this.input(() => this.doSeize(dnis, ani));
  }

  /** Backward: answers the offered call (group B idle first if not decided yet). */
  answer(): void {
    this.input(() => this.doAnswer());
  }

  /** Backward: the group B answer for the offered call. */
  decide(status: CalledLineStatus): void {
    this.input(() => this.doDecide(status));
  }

  /** Ends the call from our side, whatever its stage. Idempotent. */
  hangup(cause: number = Q850.NORMAL_CLEARING): void {
    this.input(() => this.doHangup(cause));
  }

  /** Operator's forced release: clear now, skipping any register exchange. */
  forceRelease(cause: number = Q850.NORMAL_CLEARING): void {
    this.input(() => this.doForceRelease(cause));
  }

  /** Blocks the idle circuit towards the far end. */
  block(): void {
    this.input(() => this.doBlock());
  }

  /** Returns a blocked circuit to service. */
  unblock(): void {
    this.input(() => this.doUnblock());
  }

  /**
   * The span's line failed (LOS, AIS, RAI) or came back. A call on the circuit is
   * gone with the line: released at once with cause 38, nothing waited for from a
   * far end that cannot be heard. Back, the circuit is idle and in service again
   * (blocked again if we had blocked it); what the far end then sends counts.
   */
  lineAlarm(inAlarm: boolean): void {
    this.input(() => (inAlarm ? this.doLineAlarm() : this.doLineBack()));
  }

  /** Moves the engine's time to `now` (ms), running any timers due. */
  feedTime(now: number): void {
    this.clock.advanceTo(now);
    this.opts.onDeadlineChanged?.(this);
  }

  /** Runs one input at the owner's time, then tells the owner about the next deadline. */
  private input(fn: () => void): void {
    this.clock.advanceTo(this.opts.now());
    fn();
    this.opts.onDeadlineChanged?.(this);
  }

  /** When the engine next needs feedTime(), or undefined when nothing is pending. */
  nextDeadline(): number | undefined {
    return this.clock.nextDeadline();
  }

  /** Reads the bits already on the line (at start-up) and reports the circuit's state. */
  private doStart(): void {
    const ev = decodeRx(this.port.rxBits, 'idle', this.variant.line);
    if (ev === 'rx-idle') this.emit({ type: 'in-service' });
    else this.onBits(this.port.rxBits);
  }

  /** Forward: seizes the circuit and sends `dnis` (and `ani` when asked). */
  private doSeize(dnis: string, ani = ''): void {
    checkDialledNumber('r2.dnis', dnis, r2MfRule(this.variant.maxDnisDigits));
    checkDialledNumber('r2.ani', ani, r2MfRule(this.variant.maxDnisDigits), { optional: true });
    this.transition('seize');
    this.reset();
    this.forward = new ForwardRegister(this.variant, { dnis, ani }, this.clock, {
      send: (s) => this.setTone(this.generatorFwd, s),
      traceTx: (g, s, m) => this.traceMf('tx', 'forward', g, s, m),
      traceRx: (g, s, m) => this.traceMf('rx', 'backward', g, s, m),
      complete: () => this.onForwardComplete(),
      failed: (cause, fault) => this.onRegisterFailed(cause, fault),
    });
    this.detector = this.detectorBwd;
    this.detector.reset();
    this.txBits(this.variant.line.forward.seize, 'seize');
    this.line.startTimer('seize-ack', this.variant.timers.seizeAckMs, () => {
      const error = this.fault('seize-ack-timeout', `no seize acknowledge in ${this.variant.timers.seizeAckMs} ms`);
      this.release ??= { cause: error.q850, by: 'local' };
      this.transition('seize-ack-timeout');
      this.clearForward();
    });
  }

  /** Backward: answers the offered call (group B idle first if not decided yet). */
  private doAnswer(): void {
    const st = this.line.state;
    if (st !== 'in-seized') return;
    this.answerWanted = true;
    if (this.backward?.state === 'deciding') this.backward.decide('idle');
    else if (this.registerDone) this.scheduleAnswer();
  }

  /** Backward: the group B answer for the offered call. */
  private doDecide(status: CalledLineStatus): void {
    this.backward?.decide(status);
  }

  /** Ends the call from our side, whatever its stage. Idempotent. */
  private doHangup(cause: number = Q850.NORMAL_CLEARING): void {
    const st = this.line.state;
    if (st.startsWith('out-') && st !== 'out-clearing') {
      this.release ??= { cause, by: 'local' };
      this.forward?.stop();
      this.clearForward();
    } else if (st === 'in-seized' && this.backward?.state === 'deciding') {
      this.release ??= { cause, by: 'local' };
      this.backward.decide(statusForCause(cause));
    } else if (st === 'in-seized') {
      this.release ??= { cause, by: 'local' };
      this.releaseUnanswered();
    } else if (st === 'in-answered') {
      this.release ??= { cause, by: 'local' };
      this.clearBack();
    }
  }

  /** Operator's forced release: clear now, skipping any register exchange. */
  private doForceRelease(cause: number = Q850.NORMAL_CLEARING): void {
    const st = this.line.state;
    if (st === 'in-seized') {
      this.release ??= { cause, by: 'local' };
      this.releaseUnanswered();
    } else if (st === 'in-answered') {
      this.release ??= { cause, by: 'local' };
      this.clearBack();
    } else {
      this.hangup(cause);
    }
  }

  private doBlock(): void {
    // Blocked or unblocked while the line is down: what counts when it returns.
    if (this.line.state === 'alarm') {
      this.blockedBeforeAlarm = true;
      return;
    }
    if (this.line.state !== 'idle' && this.line.state !== 'fault') return;
    this.transition('block');
    this.txBits(this.variant.line.backward.blocked, 'blocked');
  }

  private doUnblock(): void {
    if (this.line.state === 'alarm') {
      this.blockedBeforeAlarm = false;
      return;
    }
    if (this.line.state !== 'blocked-local') return;
    this.transition('unblock');
    this.txBits(this.variant.line.forward.idle, 'idle (unblocked)');
    if (decodeRx(this.port.rxBits, 'idle', this.variant.line) !== 'rx-idle') this.onBits(this.port.rxBits);
  }

  private doLineAlarm(): void {
    const st = this.line.state;
    if (st === 'alarm') return;
    const inCall = st.startsWith('out-') || st.startsWith('in-');
    this.blockedBeforeAlarm = st === 'blocked-local';
    this.pendingBits?.cancel();
    this.pendingBits = undefined;
    this.stopCall();
    this.transition('line-alarm');
    this.outOfService = true;
    if (inCall) {
      this.release ??= { cause: Q850.NETWORK_OUT_OF_ORDER, by: 'remote' };
      this.emitRelease();
    }
    this.reset();
  }

  private doLineBack(): void {
    if (this.line.state !== 'alarm') return;
    this.transition('line-back');
    // What arrived during the alarm meant nothing; the bits now on the line are the far end's start.
    this.recognisedBits = this.port.rxBits;
    this.outOfService = false;
    if (this.blockedBeforeAlarm) {
      this.blockedBeforeAlarm = false;
      this.doBlock();
      return;
    }
    this.txBits(this.variant.line.forward.idle, 'idle (line back)');
    this.emit({ type: 'in-service' });
  }

  // ---- line ---------------------------------------------------------------

  /**
   * A change of the received bits counts once it has lasted the recognition time;
   * a hit that goes back to what was recognised before is no signal at all.
   */
  private bitsChanged(): void {
    if (this.line.state === 'alarm') return;
    const ms = this.variant.timers.lineRecognitionMs;
    this.pendingBits?.cancel();
    this.pendingBits = undefined;
    if (!ms) return this.recognise();
    this.pendingBits = this.clock.setTimer(ms, () => {
      this.pendingBits = undefined;
      this.recognise();
    });
  }

  private recognise(): void {
    const bits = this.port.rxBits;
    if (bits === this.recognisedBits) return;
    this.recognisedBits = bits;
    this.onBits(bits);
  }

  private onBits(bits: Abcd): void {
    this.recognisedBits = bits;
    const st = this.line.state;
    const ev = decodeRx(bits, st, this.variant.line);
    this.trace({ kind: 'line', dir: 'rx', bits: formatBits(bits), meaning: describeRx(ev, st), state: st });
    if (st === 'out-seizing' && ev === 'rx-seize') return this.onGlare();
    if (!this.line.can(ev)) {
      this.fault('unexpected-bits', `ABCD ${formatBits(bits)} in line state ${st}`);
      return;
    }
    if (ev === 'rx-unknown')
      this.fault('unexpected-bits', `ABCD ${formatBits(bits)} is not a ${this.variant.name} line signal in state ${st}`);
    const to = this.transition(ev);
    if (to === st) return;
    switch (ev) {
      case 'rx-ack':
        if (to === 'out-seized') {
          this.line.stopTimer('seize-ack');
          this.emit({ type: 'proceeding' });
          this.forward?.start();
        } else {
          // Clear-back: the far end hung up; we clear forward at once.
          this.release ??= { cause: Q850.NORMAL_CLEARING, by: 'remote' };
          this.clearForward();
        }
        return;
      case 'rx-answer':
        this.line.stopTimer('answer');
        this.forward?.stop();
        this.emit({ type: 'answered' });
        return;
      case 'rx-idle':
        if (st === 'out-clearing') return this.finishRelease();
        if (to === 'idle') return this.backInService();
        // The far end went idle in mid-call: after answer a forced release, while
        // ringing the exchange giving up (no answer), before that a failure.
        this.release ??= {
          cause: st === 'out-seized' ? (this.registerDone ? Q850.NO_ANSWER : Q850.TEMPORARY_FAILURE) : Q850.NORMAL_CLEARING,
          by: 'remote',
        };
        this.forward?.stop();
        this.clearForward();
        return;
      case 'rx-seize':
        if (to === 'in-seized') this.acceptSeizure();
        return;
      case 'rx-blocked':
        this.outOfService = true;
        this.emit({ type: 'out-of-service', reason: 'blocked by the far end' });
        return;
      case 'rx-clear-forward':
        this.release ??= { cause: Q850.NORMAL_CLEARING, by: 'remote' };
        this.backward?.stop();
        this.line.stopTimer('clear-forward');
        this.line.startTimer('guard', this.variant.timers.releaseGuardDelayMs, () => {
          this.transition('guard-done');
          this.txBits(this.variant.line.backward.idle, 'idle (release guard)');
          this.finishRelease();
        });
        return;
      case 'rx-unknown':
        if (to === 'fault') {
          this.outOfService = true;
          this.emit({ type: 'out-of-service', reason: `undefined line bits ${formatBits(bits)}` });
        }
        return;
    }
  }

  private onGlare(): void {
    if ((this.opts.glare ?? 'yield') === 'hold') {
      this.transition('glare-hold');
      return;
    }
    this.line.stopTimer('seize-ack');
    this.forward?.stop();
    this.forward = undefined;
    this.transition('glare-yield');
    this.emit({ type: 'glare' });
    this.startBackward();
  }

  private acceptSeizure(): void {
    this.reset();
    this.startBackward();
  }

  private startBackward(): void {
    this.detector = this.detectorFwd;
    this.detector.reset();
    this.backward = new BackwardRegister(this.variant, this.clock, {
      send: (s) => this.setTone(this.generatorBwd, s),
      traceTx: (g, s, m) => this.traceMf('tx', 'backward', g, s, m),
      traceRx: (g, s, m) => this.traceMf('rx', 'forward', g, s, m),
      numberComplete: this.opts.numberComplete,
      offered: (call) => this.emit({ type: 'offered', call }),
      complete: () => {
        this.registerDone = true;
        if (this.answerWanted) this.scheduleAnswer();
      },
      failed: (cause, fault) => {
        if (fault) this.fault(fault.code, fault.detail);
        this.release ??= {
          cause: cause ?? (fault ? new R2ProtocolError(fault.code, this.channel, '').q850 : Q850.NORMAL_UNSPECIFIED),
          by: 'local',
        };
        // Refused: the forward end clears on our signal. Broken: tell it by releasing the circuit.
        if (fault && !cause) this.releaseUnanswered();
        else this.line.startTimer('clear-forward', this.variant.timers.clearForwardTimeoutMs, () => this.clearForwardMissing());
      },
    });
    this.txBits(this.variant.line.backward.seizeAck, 'seize acknowledge');
    this.backward.start();
  }

  private scheduleAnswer(): void {
    this.line.startTimer('answer-delay', this.variant.timers.answerDelayMs, () => {
      if (this.line.state !== 'in-seized') return;
      this.transition('answer');
      this.txBits(this.variant.line.backward.answer, 'answer');
      this.emit({ type: 'answered' });
    });
  }

  /**
   * Backward end giving up a call it has not answered. Clear-back would look like
   * the seize acknowledge already on the line, so the circuit goes idle instead:
   * the forward end reads that as a release and clears forward.
   */
  private releaseUnanswered(): void {
    this.backward?.stop();
    this.line.stopTimer('answer-delay');
    this.transition('clear-back');
    this.txBits(this.variant.line.backward.idle, 'idle (release before answer)');
    this.line.startTimer('clear-forward', this.variant.timers.clearForwardTimeoutMs, () => this.clearForwardMissing());
  }

  private clearBack(): void {
    if (this.line.state === 'in-clear-back' || this.line.state === 'in-releasing') return;
    this.transition('clear-back');
    this.txBits(this.variant.line.backward.clearBack, 'clear-back');
    this.line.startTimer('clear-forward', this.variant.timers.clearForwardTimeoutMs, () => this.clearForwardMissing());
  }

  private clearForwardMissing(): void {
    this.fault('clear-forward-timeout', `no clear-forward in ${this.variant.timers.clearForwardTimeoutMs} ms`);
    if (this.line.state === 'in-seized') this.transition('clear-back');
    this.transition('clear-forward-timeout');
    this.stopCall();
    this.outOfService = true;
    this.emitRelease();
    this.emit({ type: 'out-of-service', reason: 'far end did not clear forward' });
  }

  private clearForward(): void {
    if (this.line.state !== 'out-clearing') this.transition('clear-forward');
    this.line.stopTimer('seize-ack');
    this.line.stopTimer('answer');
    this.setTone(this.generatorFwd, 0);
    this.txBits(this.variant.line.forward.clearForward, 'clear-forward');
    // The far end may already be idle (it never acknowledged, or it released first).
    if (decodeRx(this.port.rxBits, 'out-clearing', this.variant.line) === 'rx-idle') {
      this.line.startTimer('guard', 0, () => {
        if (this.line.state === 'out-clearing') {
          this.transition('rx-idle');
          this.finishRelease();
        }
      });
      return;
    }
    this.line.startTimer('release-guard', this.variant.timers.releaseGuardTimeoutMs, () => {
      this.fault('release-guard-timeout', `no release guard in ${this.variant.timers.releaseGuardTimeoutMs} ms`);
      this.transition('release-guard-timeout');
      this.stopCall();
      this.outOfService = true;
      this.emitRelease();
      this.emit({ type: 'out-of-service', reason: 'no release guard from the far end' });
    });
  }

  private finishRelease(): void {
    this.stopCall();
    this.emitRelease();
    this.recheckLine();
  }

  /**
   * Bits are read as changes, but a change can arrive while a state ignores it
   * (the far end seizing again during our release guard). Back at idle, what is
   * on the line now counts.
   */
  private recheckLine(): void {
    if (this.line.state === 'idle' && decodeRx(this.port.rxBits, 'idle', this.variant.line) !== 'rx-idle') this.onBits(this.port.rxBits);
  }

  private backInService(): void {
    this.stopCall();
    if (this.outOfService) {
      this.outOfService = false;
      this.txBits(this.variant.line.forward.idle, 'idle');
      this.emit({ type: 'in-service' });
    }
    this.recheckLine();
  }

  private emitRelease(): void {
    const r = this.release ?? { cause: Q850.NORMAL_CLEARING, by: 'remote' as const };
    this.release = undefined;
    this.emit({ type: 'released', cause: r.cause, by: r.by });
  }

  // ---- register -------------------------------------------------------------

  private onForwardComplete(): void {
    this.registerDone = true;
    this.emit({ type: 'alerting' });
    this.line.startTimer('answer', this.variant.timers.answerMs, () => {
      this.fault('answer-timeout', `no answer in ${this.variant.timers.answerMs} ms`);
      this.release ??= { cause: Q850.NO_ANSWER, by: 'local' };
      this.clearForward();
    });
  }

  private onRegisterFailed(cause: number | undefined, fault?: { code: R2FaultCode; detail: string }): void {
    let c = cause;
    if (fault) c = this.fault(fault.code, fault.detail).q850;
    this.release ??= { cause: c ?? Q850.NORMAL_UNSPECIFIED, by: fault ? 'local' : 'remote' };
    this.clearForward();
  }

  private onAudio(frame: Uint8Array): void {
    const reg = this.forward ?? this.backward;
    if (!reg || !this.detector) return;
    const before = this.detector.signal;
    const after = this.detector.feedAlaw(frame);
    if (after !== before) {
      if (this.forward) this.forward.onBackward(after);
      else this.backward?.onForward(after);
    }
    if (this.generator && this.generator.current !== 0) {
      this.generator.fillAlaw(this.frame);
      this.port.writeAudio(this.frame);
    }
  }

  private setTone(gen: MfGenerator, signal: number): void {
    gen.set(signal);
    this.generator = gen;
  }

  // ---- helpers ----------------------------------------------------------------

  private reset(): void {
    this.forward = undefined;
    this.backward = undefined;
    this.release = undefined;
    this.answerWanted = false;
    this.registerDone = false;
  }

  private stopCall(): void {
    this.forward?.stop();
    this.backward?.stop();
    this.forward = undefined;
    this.backward = undefined;
    this.detector = undefined;
    this.generator = undefined;
    this.line.stopAllTimers();
  }

  private transition(ev: LineEvent): LineState {
    return this.line.transition(ev);
  }

  private txBits(bits: Abcd, meaning: string): void {
    this.port.setTxBits(bits);
    this.trace({ kind: 'line', dir: 'tx', bits: formatBits(bits), meaning, state: this.line.state });
  }

  private fault(code: R2FaultCode, detail: string): R2ProtocolError {
    const error = new R2ProtocolError(code, this.channel, detail);
    this.emit({ type: 'fault', error });
    return error;
  }

  private traceMf(dir: 'tx' | 'rx', band: 'forward' | 'backward', group: MfGroup, signal: number, meaning: string): void {
    this.trace({ kind: 'mf', dir, band, group, signal, meaning });
  }

  private trace(e: TraceBody): void {
    if (!this.tracers.size) return;
    const entry = { ...e, at: this.clock.now(), channel: this.channel } as R2TraceEntry;
    this.tracers.emit(entry);
  }

  private emit(ev: R2ChannelEvent): void {
    this.events.emit(ev);
  }
}

type TraceBody = R2TraceEntry extends infer T ? (T extends R2TraceEntry ? Omit<T, 'at' | 'channel'> : never) : never;

/** Group B status that carries a Q.850 cause back to the forward end. */
export function statusForCause(cause: number): CalledLineStatus {
  switch (cause) {
    case Q850.USER_BUSY:
    case Q850.CALL_REJECTED:
      return 'busy';
    case Q850.UNALLOCATED:
    case Q850.NUMBER_CHANGED:
    case Q850.INVALID_NUMBER_FORMAT:
      return 'vacant';
    case Q850.DESTINATION_OUT_OF_ORDER:
      return 'out-of-order';
    default:
      return 'congestion';
  }
}
