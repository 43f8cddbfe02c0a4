import { dahdiChannelNumber, E1_BEARER_RANGES, E1_BEARERS, spanPosition } from './timeslots';

describe('E1 timeslots and DAHDI channel numbers', () => {
  it('an E1 has 30 bearers, 1-15 and 17-31, the list installers write as 1-15,17-31', () => {
    expect(E1_BEARERS).toHaveLength(30);
    expect(E1_BEARERS).not.toContain(16);
    expect(E1_BEARERS[0]).toBe(1);
    expect(E1_BEARERS[29]).toBe(31);
    expect(E1_BEARER_RANGES).toBe('1-15,17-31');
  });

  it('timeslot n of the second E1 (basechan 32) is DAHDI channel 31 + n, and back', () => {
    expect(dahdiChannelNumber(32, 1)).toBe(32);
    expect(dahdiChannelNumber(32, 16)).toBe(47);
    expect(spanPosition(32, 47)).toBe(16);
    for (const ts of E1_BEARERS) expect(spanPosition(63, dahdiChannelNumber(63, ts))).toBe(ts);
  });
});
