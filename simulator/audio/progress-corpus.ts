import { AnsweringMachineDetector, AmdParameters } from '../../src/dsp/amd';
import { CallProgressAnalyser, ProgressClass } from '../../src/dsp/call-progress';
import { decodeAlaw, encodeAlaw } from '../../src/dsp/g711';
import { CHINA_TONE_PLAN, TonePlan } from '../../src/dsp/tone-plan';
import { Rng } from '../random';
import { CadencedTone, concat, LineNoise, silence } from './signals';
import { renderAnnouncement, renderHumanGreeting, renderMachineGreeting, renderMusic } from './voice';

/**
 * A labelled corpus of what a line can play back after dialling, for the accuracy
 * benchmark and the tests: each case is rendered to 8 kHz audio through A-law, the
 * way a board delivers it.
 */
export const PROGRESS_LABELS = ['busy', 'congestion', 'ringback', 'music', 'vacant', 'announcement', 'human', 'machine'] as const;
export type ProgressLabel = (typeof PROGRESS_LABELS)[number];
export type PredictedLabel = ProgressLabel | 'silence' | 'notsure';

export interface CorpusCase {
  label: ProgressLabel;
  /** A-law frames of 20 ms. */
  frames: Uint8Array[];
}

function toFrames(samples: Float32Array): Uint8Array[] {
  const codes = encodeAlaw(samples);
  const frames: Uint8Array[] = [];
  for (let i = 0; i + 160 <= codes.length; i += 160) frames.push(codes.slice(i, i + 160));
  return frames;
}

export interface CaseOptions {
  plan?: TonePlan;
  /** Line noise level (dBm0); undefined for a clean line. */
  noiseDbm0?: number;
  /** Seconds of ringing before an answer. */
  ringSec?: number;
  /** Range of the pauses between music phrases (ms); default 60-150. */
  musicRestMs?: [number, number];
}

/** Renders one case: what follows the last dialled digit, ~20 s long. */
export function renderCase(label: ProgressLabel, rng: Rng, opts: CaseOptions = {}): CorpusCase {
  const plan = opts.plan ?? CHINA_TONE_PLAN;
  const post = silence(300 + rng.next() * 1500); // post-dial delay
  const tone = (name: keyof TonePlan['tones'], ms: number) => {
    const out = new Float32Array(Math.round(ms * 8));
    new CadencedTone(plan.tones[name]).mixInto(out);
    return out;
  };
  const ringMs = (opts.ringSec ?? 3 + rng.next() * 8) * 1000;
  const afterAnswer = (greeting: Float32Array) => concat([greeting, silence(6000)]);
  const musical = rng.next() < 0.5;
  let body: Float32Array;
  switch (label) {
    case 'busy':
      body = tone('busy', 15000);
      break;
    case 'congestion':
      body = tone('congestion', 15000);
      break;
    case 'vacant':
      body = tone('vacant', 15000);
      break;
    case 'ringback':
      body = tone('ringback', 25000);
      break;
    case 'music':
      body = renderMusic(rng, 25, -16, opts.musicRestMs);
      break;
    case 'announcement': {
      const a = renderAnnouncement(rng);
      body = concat([a, a, a]);
      break;
    }
    case 'human':
    case 'machine': {
      const ringing = musical ? renderMusic(rng, ringMs / 1000, -16, opts.musicRestMs) : tone('ringback', ringMs);
      const pickup = silence(150 + rng.next() * 500);
      body = concat([ringing, pickup, afterAnswer(label === 'human' ? renderHumanGreeting(rng) : renderMachineGreeting(rng))]);
      break;
    }
  }
  const samples = concat([post, body]);
  if (opts.noiseDbm0 !== undefined) new LineNoise(opts.noiseDbm0, rng).mixInto(samples);
  return { label, frames: toFrames(samples) };
}

export interface Classification {
  predicted: PredictedLabel;
  /** Frame at which the deciding event came (or the end). */
  decidedAtFrame: number;
  events: ProgressClass[];
  /** True if music ever led to a 'voice' event (the one mistake that must not happen). */
  musicTakenAsAnswer: boolean;
}

const FINAL: ReadonlySet<ProgressClass> = new Set(['busy', 'congestion', 'vacant', 'announcement', 'voice', 'silence']);

/** Runs the analyser (and AMD after a voice answer) over a case, as the FXO engine would. */
export function classifyCase(c: CorpusCase, amd: Partial<AmdParameters> = {}, plan: TonePlan = CHINA_TONE_PLAN): Classification {
  const analyser = new CallProgressAnalyser({ plan });
  analyser.setMode('progress');
  const pcm = new Int16Array(160);
  const levels: [number, number][] = [];
  const events: ProgressClass[] = [];
  let final: ProgressClass | undefined;
  let voiceFrom = -1;
  let at = 0;
  for (; at < c.frames.length; at++) {
    decodeAlaw(c.frames[at], pcm);
    for (const ev of analyser.push(pcm)) {
      events.push(ev.cls);
      if (!final && FINAL.has(ev.cls)) {
        final = ev.cls;
        voiceFrom = ev.sinceFrame;
      }
    }
    levels.push([analyser.features!.levelDbm0, analyser.features!.silenceDbm0]);
    if (final) break;
  }
  const musicTakenAsAnswer = final === 'voice' && events.includes('music') && c.label === 'music';
  if (final === 'voice') {
    // AMD from the start of the utterance, then on the frames that follow.
    const detector = new AnsweringMachineDetector(amd);
    let verdict = undefined;
    for (let i = voiceFrom; i < c.frames.length && !verdict; i++) {
      if (i >= levels.length) {
        decodeAlaw(c.frames[i], pcm);
        analyser.push(pcm);
        levels.push([analyser.features!.levelDbm0, analyser.features!.silenceDbm0]);
      }
      verdict = detector.push(...levels[i]);
    }
    const predicted: PredictedLabel = verdict?.verdict === 'HUMAN' ? 'human' : verdict?.verdict === 'MACHINE' ? 'machine' : 'notsure';
    return { predicted, decidedAtFrame: at, events, musicTakenAsAnswer };
  }
  if (final) return { predicted: final as PredictedLabel, decidedAtFrame: at, events, musicTakenAsAnswer };
  const ringing = [...events].reverse().find((e) => e === 'ringback' || e === 'music');
  return { predicted: (ringing as PredictedLabel | undefined) ?? 'silence', decidedAtFrame: at, events, musicTakenAsAnswer };
}
