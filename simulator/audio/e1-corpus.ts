import { decodeAlaw, encodeAlaw } from '../../src/dsp/g711';
import { EARLY_FAILURES, InbandAnalysisOptions, InbandCallAnalysis } from '../../src/dsp/inband-call-analysis';
import { AnswerParty, CalleeBehaviour } from '../callee-population';
import { Rng } from '../random';
import { CalleeAudio } from './callee-audio';
import { AudioSource, concat, LineNoise, silence } from './signals';

/**
 * A labelled corpus of what an E1 bearer channel carries after a call is set up,
 * rendered by the same CalleeAudio the simulated PRI and China No.1 exchanges play,
 * through A-law, with the instant the signalling reported the answer (CONNECT, R2
 * answer bits). For the e1 benchmark and the analysis tests.
 */
export const E1_LABELS = [
  'busy',
  'congestion',
  'vacant',
  'ringback',
  'music',
  'announcement',
  'human',
  'machine',
  'fax',
  'answered-announcement',
] as const;
export type E1Label = (typeof E1_LABELS)[number];
export type E1Predicted = E1Label | 'notsure' | 'silence';

export interface E1Case {
  label: E1Label;
  frames: Uint8Array[];
  /** Frame at which the signalling reports the answer; undefined for calls never answered. */
  answerFrame?: number;
  /** The callee had colour ring-back. */
  music: boolean;
}

const FAILURE_KIND: Partial<Record<E1Label, 'busy' | 'congestion' | 'unallocated' | 'absent'>> = {
  busy: 'busy',
  congestion: 'congestion',
  vacant: 'unallocated',
  announcement: 'absent',
};

const ANSWERED_BY: Partial<Record<E1Label, AnswerParty>> = {
  human: 'human',
  machine: 'machine',
  fax: 'fax',
  'answered-announcement': 'announcement',
};

function render(source: AudioSource, ms: number): Float32Array {
  const out = silence(ms);
  source.mixInto(out);
  return out;
}

/** Renders one case, about 20 s of what follows the last dialled digit. */
export function renderE1Case(label: E1Label, seed: string, opts: { noiseDbm0?: number } = {}): E1Case {
  const rng = new Rng(seed);
  const post = silence(200 + rng.next() * 1000); // the network routes the call
  const musicDraw = rng.next() < 0.5;
  const failure = FAILURE_KIND[label];
  const party = ANSWERED_BY[label];
  let parts: Float32Array[];
  let answerAt: number | undefined;
  let music = false;
  if (failure) {
    parts = [post, render(new CalleeAudio({ kind: failure }, { seed, number: '1', attempt: 1 }).failure()!, 15_000)];
  } else if (!party) {
    music = label === 'music';
    const audio = new CalleeAudio({ kind: 'no_answer' }, { seed, number: '1', attempt: 1, musicShare: music ? 1 : 0 });
    parts = [post, render(audio.ringing(), 25_000)];
  } else {
    // A network announcement is answered at once; a subscriber's side rings first.
    const ringMs = party === 'announcement' ? 0 : (3 + rng.next() * 8) * 1000;
    music = party !== 'announcement' && musicDraw;
    const behaviour: CalleeBehaviour = { kind: 'answer', ringMs, talkMs: 0, by: party, ringback: music ? 'music' : 'tone' };
    const audio = new CalleeAudio(behaviour, { seed, number: '1', attempt: 1 });
    const ringing = ringMs > 0 ? render(audio.ringing(), ringMs) : new Float32Array(0);
    const answered = audio.answered();
    answerAt = post.length + ringing.length;
    parts = [post, ringing, render(answered.source, Math.max(answered.busyMs, 1000)), silence(6000)];
  }
  const samples = concat(parts);
  if (opts.noiseDbm0 !== undefined) new LineNoise(opts.noiseDbm0, rng).mixInto(samples);
  const codes = encodeAlaw(samples);
  const frames: Uint8Array[] = [];
  for (let i = 0; i + 160 <= codes.length; i += 160) frames.push(codes.slice(i, i + 160));
  return { label, frames, answerFrame: answerAt === undefined ? undefined : Math.floor(answerAt / 160), music };
}

export interface E1Classification {
  predicted: E1Predicted;
  /** ms after the answer when the verdict came (answered cases). */
  verdictMs?: number;
  reason?: string;
}

const VERDICT_LABEL: Record<string, E1Predicted> = {
  person: 'human',
  machine: 'machine',
  fax: 'fax',
  announcement: 'answered-announcement',
  unknown: 'notsure',
};

/** Runs the in-band analysis over a case as InbandAnalysingSignalling does on a call. */
export function classifyE1Case(c: E1Case, opts: InbandAnalysisOptions = {}): E1Classification {
  const analysis = new InbandCallAnalysis(opts);
  const pcm = new Int16Array(160);
  let ringing: E1Predicted | undefined;
  for (let i = 0; i < c.frames.length; i++) {
    if (i === c.answerFrame) analysis.answered();
    for (const ev of analysis.push(decodeAlaw(c.frames[i], pcm))) {
      if (ev.type === 'verdict') return { predicted: VERDICT_LABEL[ev.verdict.by], verdictMs: ev.verdict.atMs, reason: ev.verdict.reason };
      if (EARLY_FAILURES.has(ev.cls)) return { predicted: ev.cls as E1Predicted };
      if (ev.cls === 'ringback' || ev.cls === 'music') ringing = ev.cls;
    }
  }
  return { predicted: ringing ?? 'silence' };
}
