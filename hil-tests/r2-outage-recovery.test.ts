/**
 * Line outages on a loaded China No.1 span (E1 CAS), in virtual time: calls up and
 * calls still in the MF register exchange when the E1 fails (LOS here, the far end
 * sees RAI; or AIS), then the line back. Each call must end once with cause 38
 * (network out of order), no channel may leak, and all 30 circuits must be back
 * in service within 2 s of the line returning, ready to carry calls again.
 */
import { VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { CalleePopulation } from '../simulator/callee-population';
import { buildR2Rig, R2Rig } from '../simulator/r2/r2-rig';
import { runVirtual } from '../simulator/r2/virtual-time';

const recovery: Record<string, number> = {};

afterAll(() => {
  // The figure for the closing note: virtual ms from the line back to all circuits in service.
  console.log(`R2 recovery after a 5 s outage, 30 calls up or in setup: ${JSON.stringify(recovery)}`);
});

async function rig(): Promise<{ r: R2Rig; clock: VirtualClock; population: CalleePopulation }> {
  const clock = new VirtualClock(0);
  const population = new CalleePopulation({ seed: 7 });
  const r = await buildR2Rig({ spans: 1, seed: 7, population, logger: silentLogger, clock, ringTimeoutSec: 60 });
  await runVirtual(clock, r.group.whenReady(1000));
  return { r, clock, population };
}

/** Advances virtual time until `cond` holds, `stepMs` at a time; returns the ms it took. */
async function advanceUntil(clock: VirtualClock, cond: () => boolean, limitMs: number, stepMs = 10): Promise<number> {
  const t0 = clock.now();
  while (!cond()) {
    if (clock.now() - t0 > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((res) => setImmediate(res));
    clock.advance(stepMs);
  }
  return clock.now() - t0;
}

describe.each(['LOS', 'AIS'] as const)('China No.1 span under load through %s', (fault) => {
  it('ends each call once with cause 38, leaks nothing, and has every circuit back within 2 s', async () => {
    const { r, clock, population } = await rig();
    const span = r.group.spans[0];
    const numbers = Array.from({ length: 30 }, (_, i) => `1380013${String(i).padStart(4, '0')}`);
    // 20 talking, 10 ringing when the line fails.
    numbers.forEach((n, i) => population.override(n, { kind: 'answer', ringMs: i < 20 ? 200 : 600_000, talkMs: 600_000 }));
    const talking = await runVirtual(clock, Promise.all(numbers.slice(0, 20).map((number) => r.group.dial({ number }))));
    expect(talking.map((x) => x.outcome)).toEqual(numbers.slice(0, 20).map(() => 'answered'));
    const ringing = numbers.slice(20).map((number) => r.group.dial({ number }));
    await advanceUntil(clock, () => span.idleCount() === 0, 5000);
    let endCount = 0;
    const ends: number[] = [];
    for (const x of talking)
      void x.call!.ended.then((e) => {
        endCount++;
        ends.push(e.cause);
      });

    r.injectFault(fault, { span: 1 });
    const unanswered = await runVirtual(clock, Promise.all(ringing));
    await advanceUntil(clock, () => endCount === 20, 1000);
    for (const x of unanswered) ends.push(x.cause);
    expect(ends).toEqual(numbers.map(() => Q850.NETWORK_OUT_OF_ORDER));
    expect(span.idleCount()).toBe(0); // out of service while the line is down
    clock.advance(5000);
    expect(span.idleCount()).toBe(0);

    r.injectFault(fault, { span: 1, clear: true });
    recovery[fault] = await advanceUntil(clock, () => span.idleCount() === span.channels.length, 2000);
    expect(endCount).toBe(20); // once each
    expect(r.group.leakedChannels()).toEqual([]);

    // The span carries calls again, on every circuit.
    numbers.forEach((n) => population.override(n, { kind: 'answer', ringMs: 200, talkMs: 500 }));
    const again = await runVirtual(clock, Promise.all(numbers.map((number) => r.group.dial({ number }))));
    expect(again.map((x) => x.outcome)).toEqual(numbers.map(() => 'answered'));
    await runVirtual(clock, Promise.all(again.map((x) => x.call!.ended)));
    await advanceUntil(clock, () => span.idleCount() === span.channels.length, 5000);
    expect(r.group.leakedChannels()).toEqual([]);
    await r.close();
  });
});

it('an R2 span that is in alarm when it starts comes into service when the line does', async () => {
  const clock = new VirtualClock(0);
  const population = new CalleePopulation({ seed: 7 });
  const r = await buildR2Rig({ spans: 1, seed: 7, population, logger: silentLogger, clock });
  r.injectFault('LOS', { span: 1 });
  clock.advance(3000);
  expect(r.group.spans[0].idleCount()).toBe(0);
  r.injectFault('LOS', { span: 1, clear: true });
  await runVirtual(clock, r.group.whenReady(2000));
  expect(r.group.spans[0].idleCount()).toBe(30);
  await r.close();
});
