/**
 * Call progress and AMD on E1 bearer channels (PRI B-channels, China No.1
 * timeslots), the FXO bench's accuracy tables repeated for digital trunks: a
 * confusion matrix over a corpus rendered by the simulated exchanges' own callee
 * audio through A-law (the answer instant given by the signalling, as CONNECT or
 * the R2 answer bits give it), AMD accuracy, colour ring-back never a person or a
 * machine, DTMF talk-off on the same speech, and CPU per channel.
 */
import { DtmfReceiver } from '../drivers/spandsp/dtmf';
import { decodeAlaw, encodeAlaw } from '../src/dsp/g711';
import { InbandCallAnalysis } from '../src/dsp/inband-call-analysis';
import { classifyE1Case, E1_LABELS, E1Predicted, renderE1Case } from '../simulator/audio/e1-corpus';
import { renderSpeech } from '../simulator/audio/voice';
import { Rng } from '../simulator/random';
import { BenchContext, BenchSection } from './bench-table';

const PREDICTED: E1Predicted[] = [...E1_LABELS, 'notsure', 'silence'];

interface Tally {
  right: number;
  total: number;
  notsure: number;
}

function confusion(noiseDbm0: number | undefined, perLabel: number) {
  const matrix = new Map<string, number>();
  let correct = 0;
  let total = 0;
  const amd: Tally = { right: 0, total: 0, notsure: 0 };
  const amdAfterMusic: Tally = { right: 0, total: 0, notsure: 0 };
  let musicAsParty = 0;
  let musicCases = 0;
  const verdictMs: number[] = [];
  for (const label of E1_LABELS) {
    for (let i = 0; i < perLabel; i++) {
      const c = renderE1Case(label, `bench/e1/${noiseDbm0}/${label}/${i}`, { noiseDbm0 });
      const r = classifyE1Case(c);
      matrix.set(`${label}>${r.predicted}`, (matrix.get(`${label}>${r.predicted}`) ?? 0) + 1);
      total++;
      if (r.predicted === label) correct++;
      if (r.verdictMs !== undefined) verdictMs.push(r.verdictMs);
      // Colour ring-back (unanswered) must never come out as someone who answered.
      if (label === 'music') {
        musicCases++;
        if (r.predicted === 'human' || r.predicted === 'machine') musicAsParty++;
      }
      if (label === 'human' || label === 'machine') {
        for (const t of c.music ? [amd, amdAfterMusic] : [amd]) {
          t.total++;
          if (r.predicted === label) t.right++;
          if (r.predicted === 'notsure') t.notsure++;
        }
      }
    }
  }
  verdictMs.sort((a, b) => a - b);
  const rows = E1_LABELS.map((label) => [label, ...PREDICTED.map((p) => matrix.get(`${label}>${p}`) ?? 0)]);
  const line = noiseDbm0 === undefined ? 'clean line' : `noise ${noiseDbm0} dBm0`;
  const figures: Record<string, unknown> = {
    accuracy: correct / total,
    cases: total,
    musicTakenAsParty: musicAsParty,
    verdictMsP50: verdictMs[Math.floor(verdictMs.length / 2)],
    verdictMsMax: verdictMs[verdictMs.length - 1],
  };
  for (const [k, v] of matrix) figures[k] = v;
  const section: BenchSection = {
    title: `E1 call-progress and answer confusion matrix (${perLabel} cases per class, ${line}, A-law; rows: truth, columns: verdict)`,
    columns: ['truth \\ verdict', ...PREDICTED],
    rows,
    figures,
    notes: [
      `accuracy ${((correct / total) * 100).toFixed(1)}%; colour ring-back taken as a person or machine: ${musicAsParty} of ${musicCases}; ` +
        `verdict after the answer p50 ${figures.verdictMsP50} ms, max ${figures.verdictMsMax} ms`,
    ],
  };
  return { section, amd, amdAfterMusic, line };
}

const pct = (t: Tally) => `${((t.right / Math.max(1, t.total)) * 100).toFixed(1)}%`;

function microsPerFrame(frames: number, step: () => void): number {
  for (let i = 0; i < 200; i++) step();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) step();
  return Number(process.hrtime.bigint() - t0) / 1000 / frames;
}

function cpuTable(): BenchSection {
  const c = renderE1Case('human', 'bench/e1/cpu', { noiseDbm0: -50 });
  const pcm = new Int16Array(160);
  let i = 0;
  let analysis = new InbandCallAnalysis();
  const early = microsPerFrame(20000, () => {
    if (analysis.isAnswered || analysis.verdict) analysis = new InbandCallAnalysis();
    analysis.push(decodeAlaw(c.frames[i++ % c.answerFrame!], pcm));
  });
  const after = c.frames.slice(c.answerFrame!);
  let j = 0;
  const answered = microsPerFrame(20000, () => {
    if (analysis.verdict || !analysis.isAnswered || j % 200 === 0) {
      analysis = new InbandCallAnalysis();
      analysis.answered();
    }
    analysis.push(decodeAlaw(after[j++ % after.length], pcm));
  });
  const perCore = (us: number) => Math.floor(20000 / us);
  return {
    title: 'E1 in-band analysis CPU per channel (one 20 ms A-law frame, this machine)',
    columns: ['work per channel', 'us per frame', 'channels per core'],
    rows: [
      ['early media (A-law decode + tones + speech/music + cadence)', early, perCore(early)],
      ['after the answer (A-law decode + AMD + fax tone + info-tone cadence)', answered, perCore(answered)],
    ],
    figures: { earlyUsPerFrame: early, answeredUsPerFrame: answered },
    notes: [
      'a core has 20,000 us per 20 ms; an E1 carries 30 channels; the analysis ends with the verdict (at most the maximum analysis time)',
    ],
  };
}

/** DTMF talk-off on E1: digits spandsp finds in a minute of speech through A-law. */
function talkOff(): BenchSection {
  const speech = renderSpeech(new Rng('bench/e1/talkoff'), { words: 160 });
  const rx = new DtmfReceiver();
  const codes = encodeAlaw(speech);
  const pcm = new Int16Array(160);
  let digits = '';
  for (let k = 0; k + 160 <= codes.length; k += 160) digits += rx.feed(decodeAlaw(codes.subarray(k, k + 160), pcm));
  rx.close();
  return {
    title: 'E1 DTMF talk-off (spandsp dtmf_rx on synthetic speech, A-law path)',
    columns: ['speech (s)', 'false digits'],
    rows: [[Math.round(speech.length / 8000), digits.length]],
    figures: { talkOffDigits: digits.length, talkOffSpeechSec: speech.length / 8000 },
  };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  ctx?.step('E1 confusion matrix, clean line');
  const clean = confusion(undefined, 16);
  ctx?.step('E1 confusion matrix, noise -45 dBm0');
  const noisy = confusion(-45, 16);
  const amdSection: BenchSection = {
    title:
      'E1 answering-machine detection (app_amd defaults, maximum words 3; answered human and machine cases, from the signalled answer)',
    columns: ['line', 'answers', 'HUMAN/MACHINE right', 'NOTSURE', 'after colour ring-back: answers', 'right'],
    rows: [clean, noisy].map((r) => [r.line, r.amd.total, pct(r.amd), r.amd.notsure, r.amdAfterMusic.total, pct(r.amdAfterMusic)]),
    figures: { clean: clean.amd, noisy: noisy.amd, cleanAfterMusic: clean.amdAfterMusic, noisyAfterMusic: noisy.amdAfterMusic },
  };
  ctx?.step('E1 DTMF talk-off and CPU per channel');
  return [clean.section, noisy.section, amdSection, talkOff(), cpuTable()];
}
