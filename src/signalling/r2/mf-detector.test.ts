import { detectionRate, falseOnNoise, falseOnOtherDirection, falseOnSpeech, FrameDetector } from '../../../simulator/r2/mf-accuracy';
import { MfDetector } from './mf-detector';
import { MfGenerator } from './mf-generator';
import { MfDirection } from './mf-tones';

const ours = (dir: MfDirection) => (): FrameDetector => {
  const d = new MfDetector(dir);
  return { feed: (f) => d.feedAlaw(f), reset: () => d.reset() };
};

describe.each(['forward', 'backward'] as const)('MF detector, %s band', (dir) => {
  it('detects all 15 signals from -5 to -35 dBm0 per tone with +/-1.5 % drift', () => {
    for (const levelDbm0 of [-5, -20, -35]) {
      for (const drift of [-0.015, 0, 0.015]) {
        expect({ levelDbm0, drift, rate: detectionRate(ours(dir), dir, { levelDbm0, drift }, 1) }).toEqual({ levelDbm0, drift, rate: 1 });
      }
    }
  });

  it('detects -35 dBm0 signals in white noise at 10 dB SNR, and 4 dB twist', () => {
    expect(detectionRate(ours(dir), dir, { levelDbm0: -35, drift: 0.015, snrDb: 10 }, 2)).toBe(1);
    expect(detectionRate(ours(dir), dir, { levelDbm0: -20, drift: 0, twistDb: 4 }, 2)).toBe(1);
  });

  it('ignores signals below -45 dBm0', () => {
    expect(detectionRate(ours(dir), dir, { levelDbm0: -45, drift: 0 }, 1)).toBe(0);
  });

  it("reports nothing on 2 minutes of speech-like audio, on noise, or on the other direction's signals", () => {
    expect(falseOnSpeech(ours(dir), 120)).toBe(0);
    expect(falseOnNoise(ours(dir), 10)).toBe(0);
    expect(falseOnOtherDirection(ours(dir), dir)).toBe(0);
  });

  it('hears the generator through A-law, signal by signal', () => {
    const gen = new MfGenerator(dir);
    const det = new MfDetector(dir);
    const frame = new Uint8Array(160);
    for (let s = 1; s <= 15; s++) {
      gen.set(s);
      for (let i = 0; i < 5; i++) {
        gen.fillAlaw(frame);
        det.feedAlaw(frame);
      }
      expect(det.signal).toBe(s);
      gen.set(0);
      for (let i = 0; i < 5; i++) {
        gen.fillAlaw(frame);
        det.feedAlaw(frame);
      }
      expect(det.signal).toBe(0);
    }
  });
});
