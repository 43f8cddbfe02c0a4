import { InputError } from '../core/errors';
import { FixedRatioPacer } from './fixed-ratio';
import { PacingSnapshot } from './pacer';
import { createPacer } from './pacer-factory';
import { PredictivePacer } from './predictive';
import { VicidialAdaptivePacer } from './vicidial-adaptive';

function snap(over: Partial<PacingSnapshot> = {}): PacingSnapshot {
  return {
    now: 0,
    loggedInSeats: 100,
    readySeats: 0,
    talkingAges: [],
    wrapAges: [],
    dialingAges: [],
    waitingAnswered: 0,
    capacity: 999,
    ...over,
  };
}

describe("fixed ratio (the seed's group-call rule)", () => {
  test('ratio 2: no idle seat dials nothing, one dials two, a hundred dial two hundred', () => {
    const p = new FixedRatioPacer(2);
    expect(p.decide(snap({ readySeats: 0 })).dial).toBe(0);
    expect(p.decide(snap({ readySeats: 1 })).dial).toBe(2);
    expect(p.decide(snap({ readySeats: 100 })).dial).toBe(200);
  });

  test('calls already dialling count, and the lines and concurrency cap it', () => {
    const p = new FixedRatioPacer(2);
    expect(p.decide(snap({ readySeats: 3, dialingAges: [1, 2, 3, 4] })).dial).toBe(2);
    expect(p.decide(snap({ readySeats: 100, capacity: 60 })).dial).toBe(60);
    expect(p.decide(snap({ readySeats: 2, waitingAnswered: 1 })).dial).toBe(2);
  });

  test('decimal ratios and names from the command line', () => {
    expect(createPacer('fixed-ratio-1.25').decide(snap({ readySeats: 4 })).dial).toBe(5);
    expect(createPacer('fixed-ratio-2').name).toBe('fixed-ratio-2');
    expect(createPacer('progressive').decide(snap({ readySeats: 3, dialingAges: [0] })).dial).toBe(2);
    expect(createPacer('predictive')).toBeInstanceOf(PredictivePacer);
    expect(createPacer('vicidial-adaptive')).toBeInstanceOf(VicidialAdaptivePacer);
    expect(() => createPacer('fixed-ratio-x')).toThrow(InputError);
    expect(() => createPacer('erlang')).toThrow(/unknown pacing algorithm 'erlang'/);
    expect(() => createPacer('fixed-ratio-0.5')).toThrow(/from 1 to 50/);
  });
});

describe('VICIdial-style adaptive dial level', () => {
  test('climbs while seats wait idle, falls back to 1 once the drop rate reaches the limit', () => {
    const p = new VicidialAdaptivePacer({ dropTarget: 0.03, intervalMs: 15_000 });
    for (let t = 0; t <= 120_000; t += 1000) p.decide(snap({ now: t, loggedInSeats: 10, readySeats: 5 }));
    expect(p.level).toBeGreaterThan(1.5);
    for (let i = 0; i < 100; i++) p.observe({ type: 'answer-routed', at: 130_000, outcome: i < 10 ? 'abandoned' : 'connected', waitMs: 0 });
    for (let t = 121_000; t <= 140_000; t += 1000) p.decide(snap({ now: t, loggedInSeats: 10, readySeats: 5 }));
    expect(p.level).toBe(1);
  });
});
