import { Rng } from '../../simulator/random';
import { classifyCase, PROGRESS_LABELS, renderCase } from '../../simulator/audio/progress-corpus';
import { CallProgressAnalyser } from './call-progress';
import { dbm0ToAmplitude } from './levels';
import { CHINA_TONE_PLAN } from './tone-plan';

describe('call-progress analysis on the China tone plan', () => {
  it('classifies every case of the clean corpus correctly: busy, congestion and ringback never confused', () => {
    const wrong: string[] = [];
    for (const label of PROGRESS_LABELS.filter((l) => l !== 'human' && l !== 'machine')) {
      for (let i = 0; i < 3; i++) {
        const result = classifyCase(renderCase(label, new Rng(`clean/${label}/${i}`)));
        if (result.predicted !== label) wrong.push(`${label}#${i} -> ${result.predicted} (${result.events.join(',')})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('takes a greeting after ringback or music as an answer, and tells people from machines mostly right', () => {
    let right = 0;
    let total = 0;
    for (const label of ['human', 'machine'] as const) {
      for (let i = 0; i < 8; i++) {
        const result = classifyCase(renderCase(label, new Rng(`amd/${label}/${i}`), { noiseDbm0: -55 }));
        expect(result.events).toContain('voice');
        total++;
        if (result.predicted === label) right++;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.8);
  });

  it('never reports music ring-back as an answer, over a minute of it on a noisy line', () => {
    for (let i = 0; i < 3; i++) {
      const c = renderCase('music', new Rng(`music/${i}`), { noiseDbm0: -50 });
      const result = classifyCase(c);
      expect(result.events).not.toContain('voice');
      expect(result.predicted).toBe('music');
    }
  });

  it('never answers music whose phrases pause for up to a second, and still hears a person after it', () => {
    for (const rest of [
      [150, 300],
      [300, 600],
      [600, 1000],
    ] as [number, number][]) {
      for (let i = 0; i < 2; i++) {
        expect(classifyCase(renderCase('music', new Rng(`rests/${rest}/${i}`), { musicRestMs: rest })).events).not.toContain('voice');
      }
    }
    const human = classifyCase(renderCase('human', new Rng('rests/human/0'), { musicRestMs: [300, 600], ringSec: 6 }));
    expect(human.events).toContain('voice');
  });

  it('detects busy within two cadence cycles and congestion within three', () => {
    const busy = classifyCase(renderCase('busy', new Rng('fast/busy')));
    const congestion = classifyCase(renderCase('congestion', new Rng('fast/cong')));
    // Frames are 20 ms; each case starts with up to 1.8 s of post-dial silence.
    expect(busy.decidedAtFrame * 20).toBeLessThan(1800 + 2 * 700 + 200);
    expect(congestion.decidedAtFrame * 20).toBeLessThan(1800 + 3 * 1400);
  });

  it('hears dial tone after 300 ms of continuous 450 Hz, and not a ringback-length burst as busy', () => {
    const a = new CallProgressAnalyser({ plan: CHINA_TONE_PLAN });
    const amp = dbm0ToAmplitude(-10);
    const frame = new Int16Array(160);
    const events: string[] = [];
    for (let f = 0; f < 30; f++) {
      for (let i = 0; i < 160; i++) frame[i] = Math.round(amp * Math.sin((2 * Math.PI * 450 * (f * 160 + i)) / 8000));
      for (const ev of a.push(frame)) events.push(`${ev.cls}@${f}`);
    }
    expect(events).toEqual(['dial-tone@14']); // the 15th frame completes 300 ms
  });

  it('reports nothing but silence on a dead line after dialling', () => {
    const a = new CallProgressAnalyser({ plan: CHINA_TONE_PLAN, silenceTimeoutMs: 5000 });
    a.setMode('progress');
    const events = [];
    for (let f = 0; f < 300; f++) events.push(...a.push(new Int16Array(160)).map((e) => e.cls));
    expect(events).toEqual(['silence']);
  });
});
