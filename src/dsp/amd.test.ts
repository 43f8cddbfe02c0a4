import { AnsweringMachineDetector } from './amd';

/** Builds a level track: [ms, voiced?] pieces at 20 ms frames. */
function track(pieces: [number, boolean][]): number[] {
  return pieces.flatMap(([ms, voiced]) => Array.from({ length: ms / 20 }, () => (voiced ? -18 : -70)));
}

function run(levels: number[], params = {}) {
  const amd = new AnsweringMachineDetector(params);
  for (const l of levels) {
    const r = amd.push(l);
    if (r) return r;
  }
  return amd.result;
}

describe('answering-machine detection (app_amd-style parameters)', () => {
  it('a short "wei?" then waiting is HUMAN', () => {
    expect(
      run(
        track([
          [300, false],
          [400, true],
          [1500, false],
        ]),
      ),
    ).toMatchObject({ verdict: 'HUMAN', reason: 'HUMAN', words: 1 });
  });

  it('a long greeting is MACHINE, by word count or by length', () => {
    expect(
      run(
        track([
          [200, false],
          [300, true],
          [150, false],
          [300, true],
          [150, false],
          [300, true],
          [1000, false],
        ]),
      ),
    ).toMatchObject({ verdict: 'MACHINE', reason: 'MAXWORDS' });
    expect(
      run(
        track([
          [200, false],
          [2000, true],
          [500, false],
        ]),
        { maximumNumberOfWords: 10 },
      ),
    ).toMatchObject({ verdict: 'MACHINE', reason: 'LONGGREETING' });
  });

  it('silence from the start is MACHINE (INITIALSILENCE), per app_amd', () => {
    expect(run(track([[3000, false]]))).toMatchObject({ verdict: 'MACHINE', reason: 'INITIALSILENCE' });
  });

  it('is NOTSURE when the analysis time runs out first', () => {
    expect(
      run(
        track([
          [200, false],
          [400, true],
          [600, false],
          [400, true],
          [600, false],
        ]),
        { totalAnalysisTime: 1500, maximumNumberOfWords: 5 },
      ),
    ).toMatchObject({ verdict: 'NOTSURE', reason: 'TOOLONG' });
  });

  it('ignores blips shorter than the minimum word length', () => {
    expect(
      run(
        track([
          [200, false],
          [40, true],
          [200, false],
          [400, true],
          [900, false],
        ]),
      ),
    ).toMatchObject({ verdict: 'HUMAN', words: 1 });
  });
});
