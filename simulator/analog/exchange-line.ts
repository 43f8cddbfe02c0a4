import { DtmfReceiver } from '../../drivers/spandsp/dtmf';
import { Clock, TimerHandle } from '../../src/core/clock';
import { StateMachine, TransitionTable } from '../../src/core/state-machine';
import { decodeAlaw, encodeAlaw } from '../../src/dsp/g711';
import { CHINA_TONE_PLAN, TonePlan } from '../../src/dsp/tone-plan';
import { AnalogPort, AnalogPortEvent, HookState } from '../../drivers/ports/analog-port';
import { buildMdmfCallerId, buildSdmfCallerId } from '../../src/signalling/fxo/caller-id';
import { CalleePopulation } from '../callee-population';
import { Rng } from '../random';
import {
  CHINA_RING,
  LoopPlant,
  loopCurrentMa,
  NeonPulse,
  NeonWaveform,
  RingSignal,
  RingWaveform,
  TYPICAL_CHINA_LOOP,
  TYPICAL_NEON_PULSE,
} from './line-plant';
import { BoardRingDetector, RingDetectorOptions } from './ring-detector';
import { AudioSource, CadencedTone, LineNoise, Recording, renderDtmf, renderFskCallerId, silence, concat } from '../audio/signals';
import { renderSpeech } from '../audio/voice';
import { CalleeAudio } from '../audio/callee-audio';
import { Emitter } from '../../src/core/emitter';

/**
 * The exchange end of one simulated analog line, and the board's analog front end
 * (ring detector, loop current, battery sense), behind the same AnalogPort a DAHDI
 * fxsls channel offers. The exchange gives dial tone, collects the DTMF digits the
 * board sends (with spandsp's receiver), asks the callee population what happens,
 * and plays the China tone plan, music, greetings and announcements; it rings the
 * board with a ring signal whose volts, frequency and cadence are data.
 */
type ExchangeState =
  | 'idle'
  | 'dial-tone'
  | 'collecting'
  | 'routing'
  | 'ringing'
  | 'talking'
  | 'far-cleared'
  | 'failure-tone'
  | 'incoming'
  | 'incoming-talking'
  | 'dead';
type ExchangeEvent =
  | 'off-hook'
  | 'on-hook'
  | 'digit'
  | 'digits-complete'
  | 'route'
  | 'fail'
  | 'answer'
  | 'callee-clear'
  | 'offer'
  | 'ring-trip'
  | 'abandon'
  | 'battery-off'
  | 'battery-on';

const CLEARABLE = { 'on-hook': 'idle', 'battery-off': 'dead' } as const;
const EXCHANGE_TRANSITIONS: TransitionTable<ExchangeState, ExchangeEvent> = {
  idle: { 'off-hook': 'dial-tone', offer: 'incoming', 'battery-off': 'dead', 'on-hook': 'idle' },
  'dial-tone': { digit: 'collecting', ...CLEARABLE },
  collecting: { digit: 'collecting', 'digits-complete': 'routing', ...CLEARABLE },
  routing: { route: 'ringing', fail: 'failure-tone', ...CLEARABLE },
  ringing: { answer: 'talking', ...CLEARABLE },
  talking: { 'callee-clear': 'far-cleared', ...CLEARABLE },
  'far-cleared': { ...CLEARABLE },
  'failure-tone': { ...CLEARABLE },
  incoming: { 'ring-trip': 'incoming-talking', abandon: 'idle', 'battery-off': 'dead' },
  'incoming-talking': { 'callee-clear': 'far-cleared', ...CLEARABLE },
  dead: { 'battery-on': 'idle', 'battery-off': 'dead' },
};

export interface SimulatedLineOptions {
  clock: Clock;
  population: CalleePopulation;
  seed: number | string;
  name?: string;
  plan?: TonePlan;
  plant?: Partial<LoopPlant>;
  /** The exchange reverses polarity on answer and back on the far end's clear. */
  polarityReversal?: boolean;
  noiseDbm0?: number;
  /** Share of subscribers with colour ring-back (music instead of ringback). */
  musicShare?: number;
  /** Share of answers taken by an answering machine / voicemail. */
  machineShare?: number;
  interDigitMs?: number;
  postDialDelayMs?: number;
  detector?: RingDetectorOptions;
}

export interface IncomingCallOptions {
  callerId?: string;
  /** How caller ID is sent: FSK between rings 1 and 2 (MDMF or SDMF), DTMF before ring 1, or not at all. */
  cid?: 'fsk-mdmf' | 'fsk-sdmf' | 'dtmf' | 'none';
  corruptCidChecksum?: boolean;
  ring?: RingSignal;
  /** The caller gives up after this many rings unanswered (default 10). */
  maxRings?: number;
  /** How long the caller talks after the board answers (default 3 s). */
  talkMs?: number;
}

export class SimulatedAnalogLine implements AnalogPort {
  readonly name: string;
  readonly plant: LoopPlant;
  readonly dialled: string[] = [];
  /** Hook flashes the exchange recognised. */
  flashes = 0;
  private readonly fsm: StateMachine<ExchangeState, ExchangeEvent>;
  private readonly clock: Clock;
  private readonly plan: TonePlan;
  private readonly rng: Rng;
  private readonly noise: LineNoise;
  private readonly detector: BoardRingDetector;
  private readonly digitRx: DtmfReceiver;
  private readonly pcm = new Int16Array(160);
  /** Reused every 20 ms tick (fully rewritten / zeroed each time): no two fresh native buffers per tick per line over a soak. */
  private readonly volts = new Float32Array(160);
  private readonly mix = new Float32Array(160);
  private readonly events = new Emitter<[ev: AnalogPortEvent]>();
  private boardOffHook = false;
  private source: AudioSource | undefined;
  private ringWave: RingWaveform | undefined;
  private neonWave: NeonWaveform | undefined;
  private tickTimer: TimerHandle | undefined;
  private onHookTimer: TimerHandle | undefined;
  private number = '';
  private reversed = false;
  private closed = false;
  /** How long the caller of the incoming call now ringing talks once answered. */
  private incomingTalkMs = 3000;

  constructor(private readonly opts: SimulatedLineOptions) {
    this.name = opts.name ?? 'sim fxo';
    this.clock = opts.clock;
    this.plan = opts.plan ?? CHINA_TONE_PLAN;
    this.plant = { ...TYPICAL_CHINA_LOOP, ...(opts.plant ?? {}) };
    this.rng = new Rng(`line/${opts.seed}/${this.name}`);
    this.noise = new LineNoise(opts.noiseDbm0 ?? -65, this.rng);
    this.detector = new BoardRingDetector(opts.detector);
    this.digitRx = new DtmfReceiver();
    this.fsm = new StateMachine(`exchange ${this.name}`, EXCHANGE_TRANSITIONS, this.plant.batteryV > 0 ? 'idle' : 'dead', {
      clock: this.clock,
    });
  }

  get batteryPresent(): boolean {
    return this.plant.batteryV > 0;
  }

  get exchangeState(): ExchangeState {
    return this.fsm.state;
  }

  onEvent(listener: (ev: AnalogPortEvent) => void): () => void {
    return this.events.on(listener);
  }

  setHook(state: HookState): void {
    if (state === 'off') return this.goOffHook();
    if (!this.boardOffHook) return;
    this.boardOffHook = false;
    // The exchange reads a short break as a flash, a longer one as a clear.
    this.onHookTimer?.cancel();
    this.onHookTimer = this.clock.setTimer(600, () => {
      this.onHookTimer = undefined;
      this.clearCall();
    });
  }

  flash(ms: number): void {
    this.setHook('on');
    this.clock.setTimer(ms, () => this.setHook('off'));
  }

  writeAudio(frame: Uint8Array): void {
    const s = this.fsm.state;
    if (s !== 'dial-tone' && s !== 'collecting') return;
    decodeAlaw(frame, this.pcm);
    for (const d of this.digitRx.feed(this.pcm)) {
      if (s === 'dial-tone') this.source = undefined; // dial tone stops at the first digit
      this.fsm.transition('digit', d);
      this.number += d;
      this.fsm.startTimer('inter-digit', this.opts.interDigitMs ?? 1500, () => this.route());
    }
  }

  /** Cuts or restores the exchange battery (a line fault, a cable cut). */
  setBattery(present: boolean): void {
    if (present === this.batteryPresent) return;
    this.plant.batteryV = present ? TYPICAL_CHINA_LOOP.batteryV : 0;
    if (!present) {
      this.fsm.stopAllTimers();
      this.fsm.transition('battery-off');
      this.source = undefined;
      this.ringWave = undefined;
    } else {
      this.fsm.transition('battery-on');
    }
    this.emit({ type: 'battery', present });
  }

  /** A fault: one audio block of the wrong size from the board (a driver with another block size). */
  sendMisframedAudio(bytes: number): void {
    this.emit({ type: 'audio', frame: new Uint8Array(bytes).fill(0xd5) });
  }

  /** Two reversals `ms` apart: a glitch the FXO engine must debounce. */
  polarityGlitch(ms: number): void {
    this.emit({ type: 'polarity' });
    this.clock.setTimer(ms, () => this.emit({ type: 'polarity' }));
  }

  /** Neon message-waiting pulses on an idle line: the board must not take them for ringing. */
  sendMessageWaiting(pulse: NeonPulse = TYPICAL_NEON_PULSE): void {
    this.neonWave = new NeonWaveform(pulse, this.plant.batteryV);
    this.startTicking();
  }

  /** The network offers a call: caller ID, then ringing with the given signal. */
  offerCall(opts: IncomingCallOptions = {}): void {
    this.fsm.transition('offer');
    const number = opts.callerId ?? '075512345678';
    const ring = opts.ring ?? CHINA_RING;
    const cid = opts.cid ?? 'fsk-mdmf';
    let ringDelay = 200;
    if (cid === 'dtmf') {
      const tones = new Recording(concat([renderDtmf(`A${number}C`, { levelDbm0: -10, onMs: 70, offMs: 70 }), silence(100)]));
      this.source = tones;
      ringDelay = tones.durationMs + 500;
    }
    const period = ring.cadenceMs.reduce((a, b) => a + b, 0);
    this.fsm.startTimer('ring-start', ringDelay, () => {
      this.source = undefined;
      this.ringWave = new RingWaveform(ring, this.plant.batteryV, () => this.rng.next(), 0.5);
      if (cid === 'fsk-mdmf' || cid === 'fsk-sdmf') {
        const msg = cid === 'fsk-mdmf' ? buildMdmfCallerId({ dateTime: '11220215', number }) : buildSdmfCallerId('11220215', number);
        this.fsm.startTimer('cid', ring.cadenceMs[0] + 600, () => {
          this.source = new Recording(renderFskCallerId(msg, { corruptChecksum: opts.corruptCidChecksum }));
        });
      }
      this.fsm.startTimer('abandon', period * (opts.maxRings ?? 10) - (ring.cadenceMs[1] ?? 0) / 2, () => {
        this.ringWave = undefined;
        this.source = undefined;
        this.fsm.transition('abandon');
      });
    });
    this.incomingTalkMs = opts.talkMs ?? 3000;
    this.startTicking();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fsm.stopAllTimers();
    this.tickTimer?.cancel();
    this.onHookTimer?.cancel();
    this.digitRx.close();
    this.events.clear();
  }

  private emit(ev: AnalogPortEvent): void {
    this.events.emit(ev);
  }

  private goOffHook(): void {
    if (this.boardOffHook) return;
    this.boardOffHook = true;
    if (this.onHookTimer) {
      this.onHookTimer.cancel();
      this.onHookTimer = undefined;
      this.flashes++;
      return;
    }
    this.startTicking();
    if (!this.batteryPresent) return;
    // A loop too long (or a board drawing too little) is not seen by the exchange at all.
    if (loopCurrentMa(this.plant) < this.plant.exchangeDetectMa) return;
    const s = this.fsm.state;
    if (s === 'incoming') return this.ringTrip();
    if (s !== 'idle') return;
    this.fsm.transition('off-hook');
    this.number = '';
    this.fsm.startTimer('dial-tone', 150 + this.rng.next() * 150, () => {
      this.source = new CadencedTone(this.plan.tones.dial);
    });
  }

  private ringTrip(): void {
    this.fsm.stopTimer('abandon');
    this.fsm.stopTimer('cid');
    this.ringWave = undefined;
    this.fsm.transition('ring-trip');
    this.source = new Recording(concat([silence(300), renderSpeech(this.rng, { words: 2 })]));
    this.fsm.startTimer('callee-clear', this.incomingTalkMs, () => this.calleeClears());
  }

  private clearCall(): void {
    this.fsm.stopAllTimers();
    this.source = undefined;
    if (this.fsm.state !== 'dead' && this.fsm.state !== 'incoming') this.fsm.transition('on-hook');
    if (this.reversed) this.reversePolarity();
  }

  private reversePolarity(): void {
    this.reversed = !this.reversed;
    this.emit({ type: 'polarity' });
  }

  /** Digits complete: what the callee does decides the rest. */
  private route(): void {
    this.fsm.transition('digits-complete', this.number);
    this.dialled.push(this.number);
    const behaviour = this.opts.population.decide(this.number);
    const audio = new CalleeAudio(behaviour, {
      seed: this.opts.seed,
      number: this.number,
      attempt: this.dialled.length,
      plan: this.plan,
      musicShare: this.opts.musicShare,
      machineShare: this.opts.machineShare,
    });
    this.fsm.startTimer('post-dial', this.opts.postDialDelayMs ?? 800, () => {
      const failure = audio.failure();
      if (failure) {
        this.fsm.transition('fail', behaviour.kind);
        this.source = failure;
        return;
      }
      this.fsm.transition('route', behaviour.kind);
      this.source = audio.ringing();
      if (behaviour.kind !== 'answer') return; // no_answer: rings until the caller gives up
      this.fsm.startTimer('answer', behaviour.ringMs, () => {
        this.fsm.transition('answer');
        if (this.opts.polarityReversal) this.reversePolarity();
        const answered = audio.answered();
        this.source = answered.source;
        this.fsm.startTimer('callee-clear', Math.max(behaviour.talkMs, answered.busyMs + 1300), () => this.calleeClears());
      });
    });
  }

  /** The far end hangs up: polarity back where the line offers it, then busy tone (China). */
  private calleeClears(): void {
    this.fsm.transition('callee-clear');
    if (this.reversed) this.reversePolarity();
    this.source = new CadencedTone(this.plan.tones.busy);
  }

  private startTicking(): void {
    if (this.tickTimer || this.closed) return;
    this.tickTimer = this.clock.setTimer(20, () => this.tick());
  }

  /** One 20 ms step: ring and neon voltages through the ring detector, then audio to the board. */
  private tick(): void {
    this.tickTimer = undefined;
    const volts = this.volts;
    if (!this.boardOffHook && (this.ringWave || this.neonWave)) {
      if (this.ringWave) this.ringWave.next(volts);
      else this.neonWave!.next(volts);
      if (this.neonWave?.done) this.neonWave = undefined;
      for (const e of this.detector.feed(volts)) this.emit({ type: e });
    }
    const frame = this.mix.fill(0);
    if (this.batteryPresent) {
      if (this.source && !this.source.mixInto(frame)) this.source = undefined;
      this.noise.mixInto(frame);
    }
    this.emit({ type: 'audio', frame: encodeAlaw(frame) });
    const busy = this.boardOffHook || this.ringWave || this.neonWave || this.source || this.fsm.state !== 'idle';
    if (busy && this.fsm.state !== 'dead') this.startTicking();
    else if (this.fsm.state === 'dead' && this.boardOffHook) this.startTicking();
  }
}
