import { NeonWaveform, RingSignal, RingWaveform, TYPICAL_NEON_PULSE } from './line-plant';
import { BoardRingDetector } from './ring-detector';

/** Rings a fresh detector for 2 cadence cycles; returns the events with their times (ms). */
function ring(signal: RingSignal): { events: string[]; measured?: { vrms: number; hz: number } } {
  const detector = new BoardRingDetector();
  detector.feed(new Float32Array(800).fill(-48)); // idle battery first
  const wave = new RingWaveform(signal, 48);
  const volts = new Float32Array(160);
  const events: string[] = [];
  for (let t = 0; t < 10_000; t += 20) {
    wave.next(volts);
    for (const e of detector.feed(volts)) events.push(`${e}@${t}`);
  }
  return { events, measured: detector.lastMeasurement };
}

const China = (vrms: number, hz: number): RingSignal => ({ vrms, hz, cadenceMs: [1000, 4000] });

describe('board ring detector model (seed: 30-130 Vrms, 15-68 Hz)', () => {
  it('accepts China ringing (90 Vrms, 25 Hz, 1 s on / 4 s off) with a begin and end per burst', () => {
    const { events, measured } = ring(China(90, 25));
    expect(events.map((e) => e.split('@')[0])).toEqual(['ring-begin', 'ring-end', 'ring-begin', 'ring-end']);
    const [begin, end] = events.map((e) => Number(e.split('@')[1]));
    expect(end - begin).toBeGreaterThan(800);
    expect(end - begin).toBeLessThan(1300);
    expect(measured!.vrms).toBeCloseTo(90, 0);
    expect(measured!.hz).toBeCloseTo(25, 1);
  });

  it('rejects 25 Vrms (below the window) and accepts the window edges from inside', () => {
    expect(ring(China(25, 25)).events).toEqual([]);
    for (const [v, f] of [
      [31, 25],
      [129, 25],
      [90, 15.5],
      [90, 67.5],
      [30.5, 16],
      [129.5, 67],
    ]) {
      expect({ v, f, rang: ring(China(v, f)).events.length > 0 }).toEqual({ v, f, rang: true });
    }
  });

  it('rejects every point just outside the window', () => {
    for (const [v, f] of [
      [29.5, 25],
      [130.5, 25],
      [90, 14.5],
      [90, 68.5],
      [20, 50],
      [150, 25],
      [90, 80],
    ]) {
      expect({ v, f, rang: ring(China(v, f)).events.length > 0 }).toEqual({ v, f, rang: false });
    }
  });

  it('counts one cycle per swing on a noisy line: 10 Hz ringing with noise at the zero crossings stays rejected', () => {
    const detector = new BoardRingDetector();
    detector.feed(new Float32Array(800).fill(-48));
    let seed = 1;
    const noise = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const wave = new RingWaveform(China(30.5, 10), 48, noise, 1.5);
    const volts = new Float32Array(160);
    const events: string[] = [];
    for (let t = 0; t < 1500; t += 20) {
      wave.next(volts);
      events.push(...detector.feed(volts));
    }
    expect(events).toEqual([]);
    expect(detector.lastMeasurement!.hz).toBeCloseTo(10, 0);
  });

  it('never takes a single-polarity neon message-waiting pulse for ringing', () => {
    const detector = new BoardRingDetector();
    detector.feed(new Float32Array(800).fill(-48));
    const neon = new NeonWaveform({ ...TYPICAL_NEON_PULSE, volts: 120, count: 6 }, 48);
    const volts = new Float32Array(160);
    const events: string[] = [];
    while (!neon.done) {
      neon.next(volts);
      events.push(...detector.feed(volts));
    }
    expect(events).toEqual([]);
    // and the detector still rings normally afterwards
    const wave = new RingWaveform(China(90, 25), 48);
    for (let t = 0; t < 1500; t += 20) {
      wave.next(volts);
      events.push(...detector.feed(volts));
    }
    expect(events).toContain('ring-begin');
  });
});
