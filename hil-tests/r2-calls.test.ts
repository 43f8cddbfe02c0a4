import { VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { DialResult } from '../src/controller/trunk-group';
import { CalleePopulation } from '../simulator/callee-population';
import { buildR2Rig, R2Rig } from '../simulator/r2/r2-rig';
import { runVirtual } from '../simulator/r2/virtual-time';

/** China No.1 spans against the simulated exchange, through the controller, in virtual time. */
async function rig(opts: { spans?: number; refuseInGroupA?: boolean; trace?: string[] } = {}) {
  const clock = new VirtualClock(0);
  const population = new CalleePopulation({ seed: 5 });
  const r = await buildR2Rig({
    spans: opts.spans ?? 1,
    seed: 5,
    population,
    logger: silentLogger,
    clock,
    refuseInGroupA: opts.refuseInGroupA,
    trace: opts.trace ? (l) => opts.trace!.push(l) : undefined,
    ringTimeoutSec: 20,
  });
  await runVirtual(clock, r.group.whenReady(1000));
  return { r, clock, population };
}

async function finish(r: R2Rig, clock: VirtualClock, res: DialResult): Promise<void> {
  if (res.call) {
    res.call.hangup();
    await runVirtual(clock, res.call.ended);
  }
  // Let clearing and release guards finish on both ends.
  clock.advance(1000);
  expect(r.group.leakedChannels()).toEqual([]);
}

describe('China No.1 spans through the controller', () => {
  it.each([
    ['answer', 'answered', Q850.NORMAL_CLEARING],
    ['busy', 'busy', Q850.USER_BUSY],
    ['unallocated', 'unallocated', Q850.UNALLOCATED],
    ['congestion', 'congestion', Q850.NO_CIRCUIT_AVAILABLE],
  ] as const)('callee %s -> outcome %s, cause %d', async (kind, outcome, cause) => {
    for (const groupA of [false, true]) {
      const { r, clock, population } = await rig({ refuseInGroupA: groupA });
      population.override('13812345678', kind === 'answer' ? { kind: 'answer', ringMs: 300, talkMs: 60_000 } : kind);
      const res = await runVirtual(clock, r.group.dial({ number: '13812345678', callerId: '075512345678' }));
      expect(res).toMatchObject({ outcome, cause });
      await finish(r, clock, res);
      await r.close();
    }
  });

  it('a callee answering within 50 ms and talking briefly is answered (the talk starts when the answer is on the line)', async () => {
    const { r, clock, population } = await rig();
    for (const ringMs of [0, 10, 49]) {
      population.override('13812345678', { kind: 'answer', ringMs, talkMs: 100 });
      const res = await runVirtual(clock, r.group.dial({ number: '13812345678' }));
      expect(res).toMatchObject({ outcome: 'answered' });
      expect((await runVirtual(clock, res.call!.ended)).cause).toBe(Q850.NORMAL_CLEARING);
      clock.advance(1000);
    }
    expect(r.group.leakedChannels()).toEqual([]);
    await r.close();
  });

  it('the exchange giving up a ringing call gives cause 19', async () => {
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: 5 });
    const r = await buildR2Rig({ spans: 1, seed: 5, population, logger: silentLogger, clock, noAnswerMs: 3000 });
    await runVirtual(clock, r.group.whenReady(1000));
    population.override('13812345678', 'no_answer');
    const res = await runVirtual(clock, r.group.dial({ number: '13812345678' }));
    expect(res).toMatchObject({ outcome: 'no_answer', cause: Q850.NO_ANSWER });
    await finish(r, clock, res);
    await r.close();
  });

  it('no answer ends on the ring timer with cause 19', async () => {
    const { r, clock, population } = await rig();
    population.override('13812345678', 'no_answer');
    const res = await runVirtual(clock, r.group.dial({ number: '13812345678', ringTimeoutSec: 10 }));
    expect(res).toMatchObject({ outcome: 'no_answer', cause: Q850.NO_ANSWER });
    await finish(r, clock, res);
    await r.close();
  });

  it('traces line states and every MF signal with its meaning', async () => {
    const trace: string[] = [];
    const { r, clock, population } = await rig({ trace });
    population.override('13812345678', { kind: 'answer', ringMs: 100, talkMs: 60_000 });
    const res = await runVirtual(clock, r.group.dial({ number: '13812345678', callerId: '075512345678' }));
    await finish(r, clock, res);
    const text = trace.join('\n');
    for (const want of [
      /ABCD=0011 seize/,
      /seize acknowledge/,
      /DNIS digit 1/,
      /A6 send KA/,
      /KA=1/,
      /ANI digit 0/,
      /I-15 end of calling number/,
      /A3 address complete/,
      /KD=3/,
      /KB1 called line idle/,
      /ABCD=0111 answer/,
      /clear-forward/,
      /release guard/,
    ]) {
      expect(text).toMatch(want);
    }
    await r.close();
  });

  it('skips a circuit the exchange has blocked, and uses it again once unblocked', async () => {
    const { r, clock, population } = await rig();
    population.override('87654321', { kind: 'answer', ringMs: 100, talkMs: 60_000 });
    r.injectFault('BLOCK', { channel: 31 });
    clock.advance(100);
    expect(r.spans[0].span.channel(31)?.state).toBe('out-of-service');
    const res = await runVirtual(clock, r.group.dial({ number: '87654321' }));
    expect(res).toMatchObject({ outcome: 'answered', channel: 30 });
    await finish(r, clock, res);
    r.injectFault('BLOCK', { channel: 31, clear: true });
    clock.advance(100);
    const again = await runVirtual(clock, r.group.dial({ number: '87654321' }));
    expect(again).toMatchObject({ outcome: 'answered', channel: 31 });
    await finish(r, clock, again);
    await r.close();
  });

  it('glare: the exchange seizes the circuit we picked; we yield, take its call, and dial on another', async () => {
    const { r, clock, population } = await rig();
    population.override('87654321', { kind: 'answer', ringMs: 100, talkMs: 60_000 });
    const span = r.spans[0].span;
    const offered: string[] = [];
    span.onIncoming = (call) => {
      offered.push(`${call.number}/${call.callerId}`);
      call.hangup(Q850.USER_BUSY);
    };
    const dialing = r.group.dial({ number: '87654321' });
    r.injectFault('GLARE', { channel: 31 });
    const res = await runVirtual(clock, dialing);
    expect(res).toMatchObject({ outcome: 'answered', channel: 30, attempts: 2 });
    await runVirtual(clock, new Promise((ok) => clock.setTimer(8000, () => ok(undefined))));
    expect(offered).toEqual(['4000/075500000000']);
    await finish(r, clock, res);
    expect(span.channel(31)?.state).toBe('idle');
    await r.close();
  });

  it('fills a span: 30 calls at once, the 31st finds no free channel, and none leaks', async () => {
    const { r, clock, population } = await rig();
    const numbers = Array.from({ length: 31 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
    for (const n of numbers) population.override(n, { kind: 'answer', ringMs: 200, talkMs: 600_000 });
    const dials = numbers.slice(0, 30).map((n) => r.group.dial({ number: n, callerId: '075512345678' }));
    const results = await runVirtual(clock, Promise.all(dials));
    expect(results.every((x) => x.outcome === 'answered')).toBe(true);
    const extra = await runVirtual(clock, r.group.dial({ number: numbers[30] }));
    expect(extra.outcome).toBe('no_free_channel');
    for (const x of results) x.call!.hangup();
    await runVirtual(clock, Promise.all(results.map((x) => x.call!.ended)));
    clock.advance(1000);
    expect(r.group.leakedChannels()).toEqual([]);
    expect(r.group.idleChannels()).toBe(30);
    await r.close();
  });
});
