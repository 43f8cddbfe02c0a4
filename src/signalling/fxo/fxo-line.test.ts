import { VirtualClock } from '../../core/clock';
import { Q850 } from '../../core/q850';
import { SimulatedAnalogLine } from '../../../simulator/analog/exchange-line';
import { CalleePopulation } from '../../../simulator/callee-population';
import { FxoLine, FxoLineEvent, FxoLineOptions } from './fxo-line';

function rig(lineOpts: Partial<ConstructorParameters<typeof SimulatedAnalogLine>[0]> = {}, engineOpts: Partial<FxoLineOptions> = {}) {
  const clock = new VirtualClock(1_000_000);
  const population = new CalleePopulation({ seed: 'fxo-line' });
  const sim = new SimulatedAnalogLine({ clock, population, seed: 'fxo-line', name: 'l1', polarityReversal: true, ...lineOpts });
  const line = new FxoLine(1, sim, { clock, ...engineOpts });
  const events: FxoLineEvent[] = [];
  line.onEvent((ev) => events.push(ev));
  const types = () => events.map((e) => e.type);
  return { clock, population, sim, line, events, types };
}

describe('FXO line: incoming ringing and caller ID', () => {
  it.each(['fsk-mdmf', 'fsk-sdmf', 'dtmf'] as const)('offers the call after two China rings with the caller ID sent as %s', (cid) => {
    const { clock, sim, line, events } = rig();
    sim.offerCall({ callerId: '075512345678', cid, maxRings: 4 });
    clock.advance(9000); // (DTMF caller ID, 2.6 s,) ring 1, the FSK burst, ring 2 (1 s, 5 s after ring 1)
    const offered = events.find((e) => e.type === 'offered');
    expect(offered).toMatchObject({ type: 'offered', callerId: { number: '075512345678' } });
    line.answer();
    expect(line.state).toBe('connected');
    clock.advance(5000); // the caller talks 3 s, hangs up: busy tone
    expect(events.filter((e) => e.type === 'released')).toEqual([{ type: 'released', cause: Q850.NORMAL_CLEARING, by: 'remote' }]);
    clock.advance(2000);
    expect(line.state).toBe('idle');
    expect(sim.exchangeState).toBe('idle');
    line.close();
  });

  it('offers after the configured number of rings, without a caller ID when none was sent', () => {
    const { clock, sim, events } = rig({}, { ringsBeforeOffer: 3 });
    sim.offerCall({ cid: 'none', maxRings: 5 });
    clock.advance(7000);
    expect(events.find((e) => e.type === 'offered')).toBeUndefined();
    clock.advance(5000);
    expect(events.find((e) => e.type === 'offered')).toEqual({ type: 'offered', callerId: undefined });
  });

  it('does not offer ringing below the detector window (25 V) nor neon message-waiting pulses', () => {
    const { clock, sim, events, line } = rig();
    sim.sendMessageWaiting();
    clock.advance(4000);
    sim.offerCall({ ring: { vrms: 25, hz: 25, cadenceMs: [1000, 4000] }, maxRings: 3 });
    clock.advance(16000);
    expect(events).toEqual([]);
    expect(line.state).toBe('idle');
  });

  it('offers ringing at 90 V / 25 Hz and reports the caller abandoning after the rings stop', () => {
    const { clock, sim, events, line } = rig();
    sim.offerCall({ ring: { vrms: 90, hz: 25, cadenceMs: [1000, 4000] }, maxRings: 3 });
    clock.advance(30000);
    expect(events.map((e) => e.type)).toEqual(['offered', 'released']);
    expect(line.state).toBe('idle');
  });
});

describe('FXO line: outbound supervision', () => {
  it('answers on a polarity reversal and takes the reversal back as the far end clearing', () => {
    const { clock, population, line, events, types } = rig();
    population.override('13800000001', { kind: 'answer', ringMs: 6000, talkMs: 5000 });
    line.dial('13800000001');
    clock.advance(30000);
    expect(types()).toEqual(expect.arrayContaining(['proceeding', 'alerting', 'answered', 'amd', 'released']));
    expect(events.find((e) => e.type === 'answered')).toEqual({ type: 'answered', by: 'polarity' });
    expect(events.find((e) => e.type === 'released')).toEqual({ type: 'released', cause: Q850.NORMAL_CLEARING, by: 'remote' });
    expect(line.state).toBe('idle');
  });

  it('ignores a polarity glitch shorter than the 64 ms debounce', () => {
    const { clock, population, sim, line, types } = rig();
    population.override('13800000002', 'no_answer');
    line.dial('13800000002');
    clock.advance(6000);
    expect(line.state).toBe('awaiting-answer');
    sim.polarityGlitch(30);
    clock.advance(2000);
    expect(types()).not.toContain('answered');
    sim.polarityGlitch(100); // held 100 ms: a real reversal
    clock.advance(200);
    expect(types()).toContain('answered');
  });

  it('releases with a line fault when no dial tone comes (loop too long for the exchange to see)', () => {
    const { clock, line, events, sim } = rig({ plant: { loopOhms: 2400 } });
    line.dial('123');
    clock.advance(5000);
    expect(events).toEqual([{ type: 'released', cause: Q850.NETWORK_OUT_OF_ORDER, by: 'remote' }]);
    expect(sim.dialled).toEqual([]);
  });

  it('battery loss mid-call releases the call (cause 38) and makes the line unavailable until it returns', () => {
    const { clock, population, sim, line, events } = rig();
    population.override('13800000003', { kind: 'answer', ringMs: 2000, talkMs: 60000 });
    line.dial('13800000003');
    clock.advance(12000);
    expect(line.state).toBe('connected');
    sim.setBattery(false);
    expect(events.slice(-2)).toEqual([
      { type: 'released', cause: Q850.NETWORK_OUT_OF_ORDER, by: 'remote' },
      { type: 'unavailable', reason: 'battery lost' },
    ]);
    expect(line.state).toBe('unavailable');
    expect(() => line.dial('1')).toThrow(/not allowed in state 'unavailable'/);
    sim.setBattery(true);
    expect(events[events.length - 1]).toEqual({ type: 'available' });
    expect(line.state).toBe('idle');
  });

  it('on a line without polarity reversal, answers by voice after ringback and detects the far end by busy tone', () => {
    const { clock, population, line, events } = rig({ polarityReversal: false, musicShare: 0 }, { answerSupervision: 'voice' });
    population.override('13800000004', { kind: 'answer', ringMs: 7000, talkMs: 4000 });
    line.dial('13800000004');
    clock.advance(40000);
    expect(events.find((e) => e.type === 'answered')).toEqual({ type: 'answered', by: 'voice' });
    expect(events.find((e) => e.type === 'released')).toEqual({ type: 'released', cause: Q850.NORMAL_CLEARING, by: 'remote' });
  });

  it('never answers colour ring-back (music) on a voice-supervised line', () => {
    const { clock, population, line, types } = rig({ polarityReversal: false, musicShare: 1 }, { answerSupervision: 'voice' });
    population.override('13800000005', 'no_answer');
    line.dial('13800000005');
    clock.advance(45000);
    expect(types()).toContain('alerting');
    expect(types()).not.toContain('answered');
    line.hangup(Q850.NO_ANSWER);
    clock.advance(1000);
    expect(types()).toContain('released');
  });

  it('a hook flash on an answered call is seen by the exchange as a flash, not a clear', () => {
    const { clock, population, sim, line } = rig();
    population.override('13800000006', { kind: 'answer', ringMs: 1000, talkMs: 60000 });
    line.dial('13800000006');
    clock.advance(10000);
    expect(line.state).toBe('connected');
    line.flash();
    clock.advance(1000);
    expect(sim.flashes).toBe(1);
    expect(line.state).toBe('connected');
    expect(sim.exchangeState).toBe('talking');
  });
});

describe('FXO line: bad input from the port', () => {
  it('skips a frame of the wrong size, counts it, and carries on', () => {
    const { clock, sim, line, population, types } = rig();
    population.override('13800000007', 'busy');
    line.dial('13800000007');
    clock.advance(2000);
    const before = line.state;
    sim.sendMisframedAudio(100);
    expect(line.badFrames).toBe(1);
    expect(line.state).toBe(before);
    clock.advance(15000);
    expect(types()).toContain('released');
  });
});
