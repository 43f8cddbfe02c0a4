import { SeatForecast } from './seat-forecast';

const bins = (xs: number[]) => Float64Array.from(xs);

describe('SeatForecast', () => {
  test('no answers expected: nothing is lost, whatever the seats', () => {
    const f = new SeatForecast(4, 0, 0, bins([0, 0, 0]), bins([0, 0, 0]), bins([0, 0, 0]));
    expect(f.expectedLost(0)).toBe(0);
  });

  test('answered calls waiting beyond the free seats are lost for sure', () => {
    const f = new SeatForecast(4, -2, 0, bins([0]), bins([0]), bins([0]));
    expect(f.expectedLost(0)).toBeCloseTo(2, 6);
  });

  test('more fresh calls cost more, and each extra call costs more than the one before', () => {
    const f = new SeatForecast(8, 2, 0.5, bins([0.2, 0.3, 0.3]), bins([0.1, 0.1, 0.1]), bins([0.1, 0.2, 0.15]));
    const lost = [0, 1, 2, 4, 8, 16].map((n) => f.expectedLost(n));
    for (let i = 1; i < lost.length; i++) expect(lost[i]).toBeGreaterThan(lost[i - 1]);
    const m1 = f.expectedLost(2) - f.expectedLost(1);
    const m2 = f.expectedLost(9) - f.expectedLost(8);
    expect(m2).toBeGreaterThan(m1);
  });

  test('with many free seats and few answers the loss is negligible; with none it approaches the answers', () => {
    const plenty = new SeatForecast(30, 30, 0, bins([0.5, 0.5]), bins([0, 0]), bins([0, 0]));
    expect(plenty.expectedLost(0)).toBeLessThan(1e-6);
    const none = new SeatForecast(30, 0, 0, bins([0.5, 0.5]), bins([0, 0]), bins([0, 0]));
    expect(none.expectedLost(0)).toBeCloseTo(1, 3);
  });
});
