import { ClosedError } from '../../src/core/errors';
import { liveSpanDspStates } from '../../drivers/spandsp/live-states';
import { encodeAlaw } from '../../src/dsp/g711';
import { MfDetector } from '../../src/signalling/r2/mf-detector';
import { MfGenerator } from '../../src/signalling/r2/mf-generator';
import { SpandspR2MfGenerator, SpandspR2MfReceiver } from './spandsp-r2mf';

/** Our MF generator and detector against spandsp's, both ways: the same 15 signals per band. */
describe.each(['forward', 'backward'] as const)('R2 MF against spandsp, %s band', (dir) => {
  it("spandsp's receiver hears every signal our generator sends", () => {
    const rx = new SpandspR2MfReceiver(dir);
    const gen = new MfGenerator(dir);
    const frame = new Uint8Array(160);
    const heard: number[] = [];
    for (let s = 1; s <= 15; s++) {
      gen.set(s);
      for (let i = 0; i < 5; i++) {
        gen.fillAlaw(frame);
        rx.feedAlaw(frame);
      }
      heard.push(rx.signal);
      gen.set(0);
      for (let i = 0; i < 5; i++) {
        gen.fillAlaw(frame);
        rx.feedAlaw(frame);
      }
      expect(rx.signal).toBe(0);
    }
    rx.close();
    expect(heard).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it("our detector hears every signal spandsp's generator sends (through A-law)", () => {
    const gen = new SpandspR2MfGenerator(dir);
    const det = new MfDetector(dir);
    const pcm = new Int16Array(160);
    const heard: number[] = [];
    for (let s = 1; s <= 15; s++) {
      gen.set(s);
      for (let i = 0; i < 5; i++) {
        gen.fill(pcm);
        det.feedAlaw(encodeAlaw(pcm));
      }
      heard.push(det.signal);
      gen.set(0);
      for (let i = 0; i < 5; i++) {
        gen.fill(pcm);
        det.feedAlaw(encodeAlaw(pcm));
      }
      expect(det.signal).toBe(0);
    }
    gen.close();
    expect(heard).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });
});

/** The bench closes its comparators in finally blocks that may run twice: a second free would corrupt the heap. */
it('closing twice frees the native state once; use after close is refused', () => {
  const before = liveSpanDspStates();
  const rx = new SpandspR2MfReceiver('forward');
  const gen = new SpandspR2MfGenerator('forward');
  rx.reset();
  expect(liveSpanDspStates()).toEqual({ ...before, r2_mf_rx: before.r2_mf_rx + 1, r2_mf_tx: before.r2_mf_tx + 1 });
  rx.close();
  rx.close();
  gen.close();
  gen.close();
  expect(liveSpanDspStates()).toEqual(before);
  expect(() => rx.feedAlaw(new Uint8Array(160))).toThrow(ClosedError);
  expect(() => gen.set(1)).toThrow(ClosedError);
});
