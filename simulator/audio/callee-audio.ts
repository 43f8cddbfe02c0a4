import { encodeAlaw } from '../../src/dsp/g711';
import { dbm0ToAmplitude } from '../../src/dsp/levels';
import { CHINA_TONE_PLAN, ProgressTone, TonePlan } from '../../src/dsp/tone-plan';
import { AnswerParty, CalleeBehaviour } from '../callee-population';
import { Rng } from '../random';
import { AudioSource, CadencedTone, concat, LineNoise, Recording, renderDtmf, SAMPLE_RATE, silence } from './signals';
import { renderAnnouncement, renderHumanGreeting, renderMachineGreeting, renderMusic } from './voice';

/**
 * What the far end of a call plays, whatever carries it (an analog line, a PRI
 * B-channel, a China No.1 timeslot): ringback or colour ring-back while it rings,
 * the tone or announcement of a failure, and after the answer what the callee's
 * side says (a person, a machine, a fax, a network announcement, silence) with
 * the keys the callee's script presses. One model for every simulated exchange, so
 * an outcome sounds the same on every trunk.
 */
export interface CalleeAudioOptions {
  /** The simulation's seed; with the number and attempt it fixes every draw. */
  seed: number | string;
  number: string;
  /** Which attempt at this number (1 for the first) on this line or network. */
  attempt: number;
  plan?: TonePlan;
  /** Share of subscribers with colour ring-back (music instead of ringback); default 0.3. */
  musicShare?: number;
  /** Share of answers taken by an answering machine when the callee's script does not say; default 0.15. */
  machineShare?: number;
}

/** How a failure sounds: a tone of the plan, or an announcement (a switched-off or unreachable number). */
const FAILURE_AUDIO: Partial<Record<CalleeBehaviour['kind'], ProgressTone | 'announcement'>> = {
  busy: 'busy',
  congestion: 'congestion',
  unallocated: 'vacant',
  absent: 'announcement',
};

/** DTMF keys as a telephone sends them: 100 ms tones at -8 dBm0 per frequency, 100 ms apart. */
const KEY_TONE = { levelDbm0: -8, onMs: 100, offMs: 100 };

export interface AnsweredAudio {
  source: AudioSource;
  party: AnswerParty;
  /** How long the callee's side has something to say (greeting, keys), ms from the answer. */
  busyMs: number;
}

export class CalleeAudio {
  /** Draws for this call (greetings, pauses); the order of draws is part of the model. */
  readonly rng: Rng;
  /** The line's noise, drawn apart so what the callee says never depends on how long it rang in frames. */
  readonly noiseRng: Rng;
  private readonly plan: TonePlan;

  constructor(
    readonly behaviour: CalleeBehaviour,
    private readonly opts: CalleeAudioOptions,
  ) {
    this.rng = new Rng(`${opts.seed}/${opts.number}/${opts.attempt}`);
    this.noiseRng = new Rng(`${opts.seed}/${opts.number}/${opts.attempt}/noise`);
    this.plan = opts.plan ?? CHINA_TONE_PLAN;
  }

  /** Whether this subscriber has colour ring-back (drawn per number, so every attempt hears the same). */
  get colourRingback(): boolean {
    if (this.behaviour.kind === 'answer' && this.behaviour.ringback) return this.behaviour.ringback === 'music';
    return new Rng(`${this.opts.seed}/music/${this.opts.number}`).next() < (this.opts.musicShare ?? 0.3);
  }

  /** What a failure plays in-band until the caller gives up, or undefined when the callee is reached. */
  failure(): AudioSource | undefined {
    const what = FAILURE_AUDIO[this.behaviour.kind];
    if (!what) return undefined;
    if (what === 'announcement') return new Recording(renderAnnouncement(this.rng), true);
    return new CadencedTone(this.plan.tones[what]);
  }

  /** What the caller hears while it rings. */
  ringing(): AudioSource {
    return this.colourRingback
      ? new Recording(renderMusic(this.rng, 20, -16, [60, 600]), true)
      : new CadencedTone(this.plan.tones.ringback);
  }

  /** What the callee's side plays from the moment of the answer. */
  answered(): AnsweredAudio {
    const b = this.behaviour;
    const drawn: AnswerParty = this.rng.next() < (this.opts.machineShare ?? 0.15) ? 'machine' : 'human';
    const party = b.kind === 'answer' && b.by ? b.by : drawn;
    const greeting = this.greeting(party);
    const speech = concat([silence(200 + this.rng.next() * 400), greeting]);
    const keys = b.kind === 'answer' ? (b.keys ?? []) : [];
    const samples = keys.length ? withKeys(speech, keys) : speech;
    return { source: new Recording(samples, party === 'announcement'), party, busyMs: (samples.length / SAMPLE_RATE) * 1000 };
  }

  private greeting(party: AnswerParty): Float32Array {
    switch (party) {
      case 'human':
        return renderHumanGreeting(this.rng);
      case 'machine':
        return renderMachineGreeting(this.rng);
      case 'fax':
        return renderFaxAnswer(this.rng);
      case 'announcement':
        return renderNetworkAnnouncement(this.rng, this.plan);
      case 'silence':
        return silence(100);
    }
  }
}

/** The speech with each key press mixed in at its time (ms after the answer). */
function withKeys(speech: Float32Array, keys: readonly { keys: string; afterMs: number }[]): Float32Array {
  const parts = keys.map((k) => ({ at: Math.round((k.afterMs * SAMPLE_RATE) / 1000), tones: renderDtmf(k.keys, KEY_TONE) }));
  const length = Math.max(speech.length, ...parts.map((p) => p.at + p.tones.length));
  const out = new Float32Array(length);
  out.set(speech);
  for (const p of parts) for (let i = 0; i < p.tones.length; i++) out[p.at + i] += p.tones[i];
  return out;
}

/**
 * A fax machine or modem answering: the 2100 Hz answer tone (CED, about 3 s), a
 * pause, then V.21 channel-2 flags (FSK 1650/1850 Hz at 300 bit/s) for 3 s.
 */
export function renderFaxAnswer(rng: Rng): Float32Array {
  const ced = new Float32Array(Math.round((2.6 + rng.next() * 0.8) * SAMPLE_RATE));
  const a = dbm0ToAmplitude(-12);
  for (let i = 0; i < ced.length; i++) ced[i] = a * Math.sin((2 * Math.PI * 2100 * i) / SAMPLE_RATE);
  const bits: number[] = [];
  while (bits.length < 900) bits.push(0, 1, 1, 1, 1, 1, 1, 0); // HDLC flags 0x7E
  const fsk = new Float32Array(Math.round((bits.length / 300) * SAMPLE_RATE));
  let phase = 0;
  for (let n = 0; n < fsk.length; n++) {
    const bit = bits[Math.min(bits.length - 1, Math.floor((n * 300) / SAMPLE_RATE))];
    phase += (2 * Math.PI * (bit ? 1650 : 1850)) / SAMPLE_RATE;
    fsk[n] = a * Math.sin(phase);
  }
  return concat([ced, silence(75), fsk]);
}

/**
 * A China network announcement played after the exchange answers: the plan's 450 Hz
 * information tone (the "vacant" cadence) first on some networks, then the
 * recorded message ("the number you dialled is switched off"), looped.
 */
export function renderNetworkAnnouncement(rng: Rng, plan: TonePlan = CHINA_TONE_PLAN): Float32Array {
  const spoken = renderAnnouncement(rng);
  if (rng.next() < 0.5) return spoken;
  const tone = new Float32Array(Math.round(1.6 * SAMPLE_RATE));
  new CadencedTone(plan.tones.vacant).mixInto(tone);
  return concat([tone, silence(200), spoken]);
}

/**
 * The far end's side of one voice path, a frame at a time: whatever is playing
 * now over the line's noise, as 20 ms of A-law.
 */
export class FarEndFeed {
  private source: AudioSource | undefined;
  private readonly noise: LineNoise;
  private readonly frame = new Float32Array(160);

  constructor(rng: Rng, noiseDbm0 = -65) {
    this.noise = new LineNoise(noiseDbm0, rng);
  }

  /** Plays `source` from the next frame (undefined: only line noise). */
  play(source: AudioSource | undefined): void {
    this.source = source;
  }

  get playing(): boolean {
    return this.source !== undefined;
  }

  nextFrame(): Uint8Array {
    this.frame.fill(0);
    if (this.source && !this.source.mixInto(this.frame)) this.source = undefined;
    this.noise.mixInto(this.frame);
    return encodeAlaw(this.frame);
  }
}
