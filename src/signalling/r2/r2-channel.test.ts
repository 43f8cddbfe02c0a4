import { Q850 } from '../../core/q850';
import { R2ChannelEvent } from './r2-channel';
import { BackToBack } from '../../../test-support/r2/r2-test-rig';
import { CHINA, resolveVariant } from './variants';

function released(events: R2ChannelEvent[]) {
  return events.find((e): e is Extract<R2ChannelEvent, { type: 'released' }> => e.type === 'released');
}

describe('China No.1 call, engine against engine', () => {
  it('carries called and calling number, KA and KD, rings, answers and clears', () => {
    const r = new BackToBack();
    r.b.on((ev) => {
      if (ev.type === 'offered') r.b.answer();
    });
    r.a.seize('13812345678', '075512345678');
    r.runUntil(() => r.eventsA.some((e) => e.type === 'answered'));
    const offered = r.eventsB.find((e) => e.type === 'offered');
    expect(offered).toMatchObject({ call: { dnis: '13812345678', ani: '075512345678', category: 1, groupBCategory: 3 } });
    expect(r.types(r.eventsA)).toEqual(['proceeding', 'alerting', 'answered']);
    expect(r.types(r.eventsB)).toEqual(['offered', 'answered']);
    // The China order: first digit, A6 -> KA, calling digits on A1, I-15, rest of the number, A3, KD, KB1.
    const mf = r.trace.filter((e) => e.kind === 'mf' && e.dir === 'tx').map((e) => (e.kind === 'mf' ? `${e.group}${e.signal}` : ''));
    expect(mf.slice(0, 4)).toEqual(['I1', 'A6', 'II1', 'A1']);
    expect(mf).toContain('I15');
    expect(mf.slice(-3)).toEqual(['A3', 'II3', 'B1']);
    expect(r.traceText()).toMatch(/KA=1/);
    expect(r.traceText()).toMatch(/ANI digit 5/);
    // Compelled-cycle timing: every step well inside the MF cycle timer, each digit's cycle under 400 ms.
    const mfTimes = r.trace.filter((e) => e.kind === 'mf').map((e) => e.at);
    const steps = mfTimes.slice(1).map((t, i) => t - mfTimes[i]);
    expect(Math.max(...steps)).toBeLessThan(CHINA.timers.mfCycleMs / 10);
    const txForward = r.trace.filter((e) => e.kind === 'mf' && e.dir === 'tx' && e.band === 'forward').map((e) => e.at);
    const cycles = txForward.slice(1).map((t, i) => t - txForward[i]);
    expect(Math.max(...cycles)).toBeLessThan(400);

    r.a.hangup();
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    expect(released(r.eventsB)).toMatchObject({ by: 'remote' });
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    expect(r.clock.nextDeadline()).toBeDefined(); // only the link's frame ticker
    r.close();
  });

  it('backward end clears first: clear-back, clear-forward, release guard', () => {
    const r = new BackToBack();
    r.b.on((ev) => ev.type === 'offered' && r.b.answer());
    r.a.seize('87654321');
    r.runUntil(() => r.eventsA.some((e) => e.type === 'answered'));
    r.b.hangup();
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'remote' });
    expect(released(r.eventsB)).toMatchObject({ by: 'local' });
    const lines = r.trace.filter((e) => e.kind === 'line').map((e) => (e.kind === 'line' ? `${e.dir}:${e.meaning}` : ''));
    expect(lines).toEqual(
      expect.arrayContaining(['tx:clear-back', 'tx:clear-forward', 'tx:idle (release guard)', 'rx:release guard (idle)']),
    );
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    r.close();
  });

  it.each([
    ['idle', Q850.NORMAL_CLEARING],
    ['busy', Q850.USER_BUSY],
    ['congestion', Q850.NO_CIRCUIT_AVAILABLE],
    ['vacant', Q850.UNALLOCATED],
  ] as const)('group B %s gives cause %d', (status, cause) => {
    const r = new BackToBack();
    r.b.on((ev) => ev.type === 'offered' && r.b.decide(status));
    r.a.seize('13812345678', '123');
    if (status === 'idle') {
      r.runUntil(() => r.eventsA.some((e) => e.type === 'alerting'));
      r.a.hangup(cause);
    }
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)?.cause).toBe(cause);
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    r.close();
  });

  it('KB3 (toll busy) is busy too', () => {
    const r = new BackToBack({
      variantB: resolveVariant('china', { backward: { ...CHINA.backward, groupB: { ...CHINA.backward.groupB, busy: 3 } } }),
    });
    r.b.on((ev) => ev.type === 'offered' && r.b.decide('busy'));
    r.a.seize('13812345678');
    r.runUntil(() => !!released(r.eventsA));
    expect(released(r.eventsA)?.cause).toBe(Q850.USER_BUSY);
    expect(r.traceText()).toMatch(/KB3/);
    r.close();
  });

  it.each([
    ['vacant', Q850.UNALLOCATED, /A5/],
    ['congestion', Q850.NO_CIRCUIT_AVAILABLE, /A4/],
  ] as const)('group A %s (refused before group B) gives cause %d', (verdict, cause, signal) => {
    const r = new BackToBack({ b: { numberComplete: () => verdict } });
    r.a.seize('13812345678', '1');
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)?.cause).toBe(cause);
    expect(r.traceText()).toMatch(signal);
    expect(r.eventsB.some((e) => e.type === 'offered')).toBe(false);
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    r.close();
  });

  it('ends a number with no length rule by timeout and a pulsed A3', () => {
    const r = new BackToBack();
    r.b.on((ev) => ev.type === 'offered' && r.b.decide('idle'));
    r.a.seize('2345', '99');
    r.runUntil(() => r.eventsA.some((e) => e.type === 'alerting'));
    const offered = r.eventsB.find((e) => e.type === 'offered');
    expect(offered).toMatchObject({ call: { dnis: '2345', ani: '99' } });
    expect(r.traceText()).toMatch(/A3 address complete, changeover to group B \(pulsed 150 ms\)/);
    r.a.hangup();
    r.runUntil(() => !!released(r.eventsB));
    r.close();
  });
});
