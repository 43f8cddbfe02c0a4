/**
 * Analog FXO accuracy and cost: the board ring detector over a voltage x frequency
 * grid, DTMF detection against level and noise, call-progress classes over a
 * simulated corpus (a confusion matrix), AMD, and CPU per channel.
 */
import { FskCallerIdReceiver } from '../drivers/spandsp/adsi';
import { DtmfReceiver } from '../drivers/spandsp/dtmf';
import { CallProgressAnalyser } from '../src/dsp/call-progress';
import { decodeAlaw, encodeAlaw } from '../src/dsp/g711';
import { CHINA_TONE_PLAN } from '../src/dsp/tone-plan';
import { RingWaveform } from '../simulator/analog/line-plant';
import { classifyCase, PredictedLabel, PROGRESS_LABELS, renderCase } from '../simulator/audio/progress-corpus';
import { BoardRingDetector, SEED_RING_WINDOW } from '../simulator/analog/ring-detector';
import { concat, LineNoise, renderDtmf, silence } from '../simulator/audio/signals';
import { renderSpeech } from '../simulator/audio/voice';
import { Rng } from '../simulator/random';
import { VirtualClock } from '../src/core/clock';
import { FxoLine } from '../src/signalling/fxo/fxo-line';
import { SimulatedAnalogLine } from '../simulator/analog/exchange-line';
import { CalleePopulation } from '../simulator/callee-population';
import { BenchContext, BenchSection } from './bench-table';

const VOLTS = [20, 25, 29.5, 30.5, 50, 90, 110, 129.5, 130.5, 150];
const HERTZ = [10, 14.5, 15.5, 20, 25, 50, 67.5, 68.5, 80];

function rings(vrms: number, hz: number, rng: Rng): boolean {
  const detector = new BoardRingDetector();
  detector.feed(new Float32Array(800).fill(-48));
  const wave = new RingWaveform({ vrms, hz, cadenceMs: [1000, 4000] }, 48, () => rng.next(), 1);
  const volts = new Float32Array(160);
  for (let t = 0; t < 1200; t += 20) {
    wave.next(volts);
    if (detector.feed(volts).includes('ring-begin')) return true;
  }
  return false;
}

function ringGrid(): BenchSection {
  const rng = new Rng('bench/ring');
  const w = SEED_RING_WINDOW;
  let inside = 0,
    insideOk = 0,
    outside = 0,
    outsideOk = 0;
  const rows = VOLTS.map((v) => [
    `${v} V`,
    ...HERTZ.map((f) => {
      const want = v >= w.minVrms && v <= w.maxVrms && f >= w.minHz && f <= w.maxHz;
      const got = rings(v, f, rng);
      if (want) {
        inside++;
        if (got) insideOk++;
      } else {
        outside++;
        if (!got) outsideOk++;
      }
      return got === want ? (got ? 'ring' : '-') : got ? 'RING!' : 'MISSED';
    }),
  ]);
  return {
    title: 'FXO ring detection: board detector model, Vrms x Hz (seed window 30-130 Vrms, 15-68 Hz)',
    columns: ['Vrms \\ Hz', ...HERTZ.map(String)],
    rows,
    figures: { insidePoints: inside, insideDetected: insideOk, outsidePoints: outside, outsideRejected: outsideOk },
    notes: [
      `inside the window: ${insideOk}/${inside} detected; outside: ${outsideOk}/${outside} rejected ('ring' and '-' are right answers)`,
    ],
  };
}

const LEVELS = [-10, -15, -20, -25, -30, -35, -38, -40];
const SNRS: (number | undefined)[] = [undefined, 20, 15, 10];
const KEYS = '0123456789*#ABCD';

function dtmfRate(level: number, snrDb: number | undefined, rng: Rng, trials: number): number {
  let hit = 0;
  for (let i = 0; i < trials; i++) {
    const key = KEYS[Math.floor(rng.next() * KEYS.length)];
    const audio = concat([silence(60), renderDtmf(key, { levelDbm0: level, onMs: 60, offMs: 60 }), silence(60)]);
    // SNR against the digit's total power (two tones, each at `level`).
    if (snrDb !== undefined) new LineNoise(level + 3 - snrDb, rng).mixInto(audio);
    const rx = new DtmfReceiver();
    const codes = encodeAlaw(audio);
    const pcm = new Int16Array(160);
    let got = '';
    for (let k = 0; k + 160 <= codes.length; k += 160) got += rx.feed(decodeAlaw(codes.subarray(k, k + 160), pcm));
    rx.close();
    if (got === key) hit++;
  }
  return hit / trials;
}

function dtmfTable(): BenchSection {
  const rng = new Rng('bench/dtmf');
  const trials = 48;
  const figures: Record<string, number> = {};
  const rows = LEVELS.map((level) => [
    `${level} dBm0`,
    ...SNRS.map((snr) => {
      const rate = dtmfRate(level, snr, rng, trials);
      figures[`${level}dBm0/${snr ?? 'clean'}`] = rate;
      return `${(rate * 100).toFixed(0)}%`;
    }),
  ]);
  // Talk-off: digits the receiver finds in a minute of speech.
  const speech = renderSpeech(new Rng('bench/talkoff'), { words: 160 });
  const rx = new DtmfReceiver();
  const codes = encodeAlaw(speech);
  const pcm = new Int16Array(160);
  let falseDigits = '';
  for (let k = 0; k + 160 <= codes.length; k += 160) falseDigits += rx.feed(decodeAlaw(codes.subarray(k, k + 160), pcm));
  rx.close();
  figures.talkOffDigits = falseDigits.length;
  figures.talkOffSpeechSec = speech.length / 8000;
  return {
    title: `FXO DTMF detection rate (spandsp dtmf_rx, 60 ms digits, ${trials} per cell, A-law path)`,
    columns: ['level per tone', ...SNRS.map((s) => (s === undefined ? 'clean' : `SNR ${s} dB`))],
    rows,
    figures,
    notes: [
      `seed minimum -35 dBm; talk-off: ${falseDigits.length} false digits in ${(speech.length / 8000).toFixed(0)} s of synthetic speech`,
    ],
  };
}

const PREDICTED: PredictedLabel[] = [...PROGRESS_LABELS, 'notsure', 'silence'];

function confusion(
  noiseDbm0: number | undefined,
  perLabel: number,
): { section: BenchSection; amd: { right: number; total: number; notsure: number }; musicAnswers: number } {
  const matrix = new Map<string, number>();
  let correct = 0;
  let total = 0;
  let musicAnswers = 0;
  const amd = { right: 0, total: 0, notsure: 0 };
  for (const label of PROGRESS_LABELS) {
    for (let i = 0; i < perLabel; i++) {
      const result = classifyCase(renderCase(label, new Rng(`bench/cp/${noiseDbm0}/${label}/${i}`), { noiseDbm0 }));
      matrix.set(`${label}>${result.predicted}`, (matrix.get(`${label}>${result.predicted}`) ?? 0) + 1);
      total++;
      if (result.predicted === label) correct++;
      if (label === 'music' && result.events.includes('voice')) musicAnswers++;
      if (label === 'human' || label === 'machine') {
        amd.total++;
        if (result.predicted === label) amd.right++;
        if (result.predicted === 'notsure') amd.notsure++;
      }
    }
  }
  const rows = PROGRESS_LABELS.map((label) => [label, ...PREDICTED.map((p) => matrix.get(`${label}>${p}`) ?? 0)]);
  const figures: Record<string, number> = { accuracy: correct / total, cases: total, musicTakenAsAnswer: musicAnswers };
  for (const [k, v] of matrix) figures[k] = v;
  return {
    section: {
      title: `FXO call-progress confusion matrix (${perLabel} cases per class, ${noiseDbm0 === undefined ? 'clean line' : `noise ${noiseDbm0} dBm0`}; rows: truth, columns: verdict)`,
      columns: ['truth \\ verdict', ...PREDICTED],
      rows,
      figures,
      notes: [`accuracy ${((correct / total) * 100).toFixed(1)}%; music ring-back taken as an answer: ${musicAnswers}`],
    },
    amd,
    musicAnswers,
  };
}

function microsPerFrame(frames: number, step: () => void): number {
  for (let i = 0; i < 200; i++) step();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) step();
  return Number(process.hrtime.bigint() - t0) / 1000 / frames;
}

function cpuTable(): BenchSection {
  const rng = new Rng('bench/cpu');
  // Ringing, then a greeting and silence: a typical mix for the progress analyser.
  const frames = renderCase('human', rng, { noiseDbm0: -50 }).frames;
  const frame = (i: number) => frames[i % frames.length];
  const pcm = new Int16Array(160);
  const analyser = new CallProgressAnalyser({ plan: CHINA_TONE_PLAN });
  analyser.setMode('progress');
  let i = 0;
  const progress = microsPerFrame(20000, () => analyser.push(decodeAlaw(frame(i++), pcm)));
  const dtmf = new DtmfReceiver();
  const idle = microsPerFrame(20000, () => dtmf.feed(decodeAlaw(frame(i++), pcm)));
  dtmf.close();
  const fsk = new FskCallerIdReceiver(() => undefined);
  const cid = microsPerFrame(20000, () => fsk.feed(decodeAlaw(frame(i++), pcm)));
  fsk.close();
  const perCore = (us: number) => Math.floor(20000 / us);
  const rows = [
    ['call in progress (A-law decode + tones + speech/music + cadence)', progress, perCore(progress)],
    ['idle line on-hook (DTMF caller-ID receiver)', idle, perCore(idle)],
    ['ringing line (FSK caller-ID receiver)', cid, perCore(cid)],
  ];
  return {
    title: 'FXO CPU per channel (one 20 ms frame, this machine)',
    columns: ['work per channel', 'us per frame', 'channels per core'],
    rows,
    figures: { progressUsPerFrame: progress, idleDtmfUsPerFrame: idle, fskUsPerFrame: cid },
    notes: ['a core has 20,000 us per 20 ms; "channels per core" ignores the driver and the controller'],
  };
}

/** Music pauses: how long a gap between phrases can be before it passes for an answer. */
function musicRests(perRange: number): BenchSection {
  const ranges: [number, number][] = [
    [60, 150],
    [150, 300],
    [300, 600],
    [600, 1000],
  ];
  const rows = ranges.map((rest) => {
    let voice = 0;
    for (let i = 0; i < perRange; i++) {
      if (classifyCase(renderCase('music', new Rng(`bench/rests/${rest}/${i}`), { musicRestMs: rest })).events.includes('voice')) voice++;
    }
    return [`${rest[0]}-${rest[1]} ms`, perRange, voice];
  });
  return {
    title: `FXO music ring-back with pauses between phrases (${perRange} x 25 s per range, call-progress analyser)`,
    columns: ['pause', 'cases', 'taken as voice'],
    rows,
    figures: Object.fromEntries(rows.map((r) => [String(r[0]), r[2]])),
  };
}

/** The whole engine on voice-supervised lines: unanswered calls with colour ring-back must never read as answered. */
function musicOnTheLine(calls: number): BenchSection {
  let answered = 0;
  let alerted = 0;
  for (let i = 0; i < calls; i++) {
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: `bench/music/${i}` });
    const number = `1380000${String(i).padStart(4, '0')}`;
    population.override(number, 'no_answer');
    const sim = new SimulatedAnalogLine({
      clock,
      population,
      seed: `bench/music/${i}`,
      polarityReversal: false,
      musicShare: 1,
      noiseDbm0: -55,
    });
    const line = new FxoLine(1, sim, { clock, answerSupervision: 'voice' });
    line.onEvent((ev) => {
      if (ev.type === 'answered') answered++;
      if (ev.type === 'alerting') alerted++;
    });
    line.dial(number);
    clock.advance(45_000);
    line.hangup(19);
    clock.advance(2000);
    line.close();
    void sim.close();
  }
  return {
    title: `FXO colour ring-back through the whole engine (${calls} unanswered calls, 45 s of music each, voice-supervised lines)`,
    columns: ['calls', 'reported ringing', 'reported answered'],
    rows: [[calls, alerted, answered]],
    figures: { calls, alerted, answered },
  };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  ctx?.step('call-progress confusion matrix, clean line');
  const clean = confusion(undefined, 12);
  ctx?.step('call-progress confusion matrix, noise -45 dBm0');
  const noisy = confusion(-45, 12);
  const amdRows = [
    ['clean line', clean.amd.total, `${((clean.amd.right / clean.amd.total) * 100).toFixed(1)}%`, clean.amd.notsure],
    ['noise -45 dBm0', noisy.amd.total, `${((noisy.amd.right / noisy.amd.total) * 100).toFixed(1)}%`, noisy.amd.notsure],
  ];
  const amdSection: BenchSection = {
    title: 'FXO answering-machine detection (app_amd defaults, maximum words 3; answered calls of the corpus)',
    columns: ['line', 'answers', 'HUMAN/MACHINE right', 'NOTSURE'],
    rows: amdRows,
    figures: { clean: clean.amd, noisy: noisy.amd },
  };
  ctx?.step('ring detection grid');
  const ring = ringGrid();
  ctx?.step('DTMF against level and SNR');
  const dtmf = dtmfTable();
  ctx?.step('music on hold: rests and the whole line');
  const rests = musicRests(20);
  const music = musicOnTheLine(20);
  ctx?.step('CPU per channel');
  return [ring, dtmf, clean.section, noisy.section, amdSection, rests, music, cpuTable()];
}
