import { classifyE1Case, E1Label, renderE1Case } from '../../simulator/audio/e1-corpus';
import { InbandCallAnalysis } from './inband-call-analysis';

/** The in-band analysis of E1 calls over the simulated exchanges' own audio (A-law), a few cases per class. */
describe('InbandCallAnalysis', () => {
  it.each<[E1Label, string]>([
    ['fax', 'fax'],
    ['answered-announcement', 'answered-announcement'],
    ['busy', 'busy'],
    ['vacant', 'vacant'],
    ['announcement', 'announcement'],
    ['ringback', 'ringback'],
  ])('%s is heard as %s', (label, want) => {
    for (let i = 0; i < 4; i++) expect(classifyE1Case(renderE1Case(label, `test/${label}/${i}`)).predicted).toBe(want);
  });

  it('never takes colour ring-back for an answer, nor an announcement, however long it plays', () => {
    for (let i = 0; i < 4; i++) {
      const r = classifyE1Case(renderE1Case('music', `test/music/${i}`, { noiseDbm0: i % 2 ? -45 : undefined }));
      expect(r.predicted).toBe('music');
    }
  });

  it('tells people from machines after the signalled answer, with app_amd reasons', () => {
    const human = classifyE1Case(renderE1Case('human', 'test/human/1'));
    const machine = classifyE1Case(renderE1Case('machine', 'test/machine/1'));
    expect(human).toMatchObject({ predicted: 'human', reason: 'HUMAN' });
    expect(machine).toMatchObject({ predicted: 'machine', reason: expect.stringMatching(/LONGGREETING|MAXWORDS|MAXWORDLENGTH/) });
    expect(machine.verdictMs).toBeLessThanOrEqual(5000);
  });

  it('gives a verdict within the maximum analysis time, undecided when that is too short', () => {
    const c = renderE1Case('machine', 'test/machine/2');
    const r = classifyE1Case(c, { maxAnalysisMs: 600 });
    expect(r).toMatchObject({ predicted: 'notsure' });
    expect(r.verdictMs).toBeLessThanOrEqual(600);
  });

  it('reports nothing more once decided', () => {
    const a = new InbandCallAnalysis({ maxAnalysisMs: 100 });
    a.answered();
    const silent = new Int16Array(160);
    const events = Array.from({ length: 20 }, () => a.push(silent)).flat();
    expect(events).toEqual([{ type: 'verdict', verdict: { by: 'unknown', reason: 'TOOLONG', atMs: 100 } }]);
  });
});
