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

it('a circuit the exchange blocks before a LOS and unblocks during it is in service when the line returns', async () => {
  const { r, clock } = await rig();
  const span = r.group.spans[0];
  r.injectFault('BLOCK', { span: 1, channel: 5 });
  clock.advance(500);
  expect(span.idleCount()).toBe(29);
  r.injectFault('LOS', { span: 1 });
  clock.advance(1000);
  r.injectFault('BLOCK', { span: 1, channel: 5, clear: true });
  clock.advance(1000);
  r.injectFault('LOS', { span: 1, clear: true });
  await advanceUntil(clock, () => span.idleCount() === 30, 2000);
  // And one blocked during the alarm comes back blocked.
  r.injectFault('LOS', { span: 1 });
  clock.advance(500);
  r.injectFault('BLOCK', { span: 1, channel: 7 });
  r.injectFault('LOS', { span: 1, clear: true });
  clock.advance(1000);
  expect(span.idleCount()).toBe(29);
  expect(span.channel(7)!.state).toBe('out-of-service');
  await r.close();
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

it('after a LOS under load, a far-end seizure on an idle circuit does not turn the next calls into congestion', async () => {
  // Right after the line returns every circuit is idle, so the exchange's seizures
  // (GLARE in the soak) land on idle ones. Such a circuit was hunted again and again
  // while its number was still coming in (seconds of MF), each call refused at once
  // with cause 44: with the other circuits busy that was "congestion", and the
  // soak's callers burned through their numbers (88-98% congestion).
  const clock = new VirtualClock(0);
  const population = new CalleePopulation({ seed: 11 });
  const r = await buildR2Rig({ spans: 1, seed: 11, population, logger: silentLogger, clock, ringTimeoutSec: 5, noAnswerMs: 1000 });
  await runVirtual(clock, r.group.whenReady(1000));
  const span = r.group.spans[0];
  const numbers = Array.from({ length: 240 }, (_, i) => `13900${String(i).padStart(6, '0')}`);
  const outcomes: Record<string, number> = {};
  let next = 0;
  let lineBack = false;
  // The soak's callers: every circuit in use, a number that finds the line down or full tried again after a pause.
  const worker = async () => {
    while (next < numbers.length) {
      const number = numbers[next++];
      for (;;) {
        const res = await r.group.dial({ number, ringTimeoutSec: 5 });
        if (res.outcome !== 'link_down' && res.outcome !== 'no_free_channel') {
          if (res.call) await res.call.ended;
          if (lineBack) outcomes[res.outcome] = (outcomes[res.outcome] ?? 0) + 1;
          break;
        }
        await new Promise<void>((res) => clock.setTimer(200, res));
      }
    }
  };
  const run = Promise.all(Array.from({ length: 30 }, worker));
  clock.setTimer(3000, () => r.injectFault('LOS', { span: 1 }));
  clock.setTimer(6100, () => {
    r.injectFault('LOS', { span: 1, clear: true });
    lineBack = true;
  });
  // The exchange seizes two idle circuits the moment the line is back.
  let seized = 0;
  clock.setTimer(6110, () => {
    for (const [channel, ch] of r.spans[0].exchange.channels)
      if (ch.isIdle && seized < 2) {
        r.injectFault('GLARE', { span: 1, channel });
        seized++;
      }
  });
  const started = clock.now();
  await runVirtual(clock, run, 600_000);
  const resolved = Object.values(outcomes).reduce((a, b) => a + b, 0);
  expect(seized).toBe(2);
  // The population refuses about 1 call in 7 as congestion; the burn made it most of them.
  expect((outcomes.congestion ?? 0) / resolved).toBeLessThan(0.25);
  expect(outcomes.answered ?? 0).toBeGreaterThan(resolved * 0.3);
  expect(clock.now() - started).toBeLessThan(300_000);
  await advanceUntil(clock, () => span.idleCount() === span.channels.length, 10_000);
  expect(r.group.leakedChannels()).toEqual([]);
  await r.close();
});
