import { AttemptRecord } from '../campaign/outbound-campaign';
import { AcdFigures } from './acd-figures';

// Local noon, so a few hours either way stay on the same calendar day.
const NOON = new Date(2026, 11, 7, 12, 0, 0).getTime();
const MIN = 60_000;

function attempt(endedAt: number, outcome: AttemptRecord['outcome'], waitMs?: number, test = false): AttemptRecord {
  return {
    number: '13800138000',
    test,
    outcome,
    cause: 16,
    causeText: 'Normal call clearing',
    dialledAt: endedAt - 30_000,
    endedAt,
    waitMs,
  };
}

describe('AcdFigures', () => {
  it('counts abandonment over calls a person answered, today and over the rolling hour', () => {
    const acd = new AcdFigures();
    acd.record(attempt(NOON - 90 * MIN, 'abandoned'));
    for (let i = 0; i < 9; i++) acd.record(attempt(NOON - 30 * MIN + i, 'connected', 500));
    acd.record(attempt(NOON - 10 * MIN, 'abandoned'));
    // Not answered by a person, or a test call: not in the rates.
    acd.record(attempt(NOON - 5 * MIN, 'machine'));
    acd.record(attempt(NOON - 5 * MIN, 'no_answer'));
    acd.record(attempt(NOON - 5 * MIN, 'abandoned', undefined, true));
    const s = acd.snapshot(NOON);
    expect(s).toMatchObject({ answeredToday: 11, abandonedToday: 2, answeredHour: 10, abandonedHour: 1 });
    expect(s.abandonmentToday).toBeCloseTo(2 / 11);
    expect(s.abandonmentHour).toBeCloseTo(0.1);
    // An hour later the 11:50 abandonment has left the window; today still has both.
    const later = acd.snapshot(NOON + 51 * MIN);
    expect(later).toMatchObject({ answeredHour: 0, abandonedHour: 0, abandonmentHour: 0, abandonedToday: 2 });
  });

  it('gives the speed of answer and the service level of connected calls', () => {
    const acd = new AcdFigures({ serviceLevelMs: 2000 });
    acd.record(attempt(NOON, 'connected', 0));
    acd.record(attempt(NOON, 'connected', 1000));
    acd.record(attempt(NOON, 'connected', 3500));
    acd.record(attempt(NOON, 'abandoned'));
    const s = acd.snapshot(NOON);
    expect(s.asaMs).toBe(1500);
    expect(s.serviceLevel).toBeCloseTo(2 / 4);
    expect(new AcdFigures().snapshot(NOON)).toMatchObject({ asaMs: 0, serviceLevel: 1, abandonmentToday: 0, callsPerHour: 0 });
  });

  it('counts every attempt that ended in the last hour as calls per hour, and starts a new day at midnight', () => {
    const acd = new AcdFigures();
    // Records arrive as attempts end, oldest first: 11:31 ... 12:00.
    for (let i = 29; i >= 0; i--) acd.record(attempt(NOON - i * MIN, i % 2 ? 'busy' : 'connected', 100));
    expect(acd.snapshot(NOON).callsPerHour).toBe(30);
    // At 12:45 the window starts at 11:45: 11:46 ... 12:00.
    expect(acd.snapshot(NOON + 45 * MIN).callsPerHour).toBe(15);
    const nextDay = new Date(2026, 11, 8, 0, 0, 1).getTime();
    expect(acd.snapshot(nextDay)).toMatchObject({ answeredToday: 0, abandonedToday: 0, asaMs: 0 });
  });
});
