import { VirtualClock } from '../../src/core/clock';
import { describeWithFakeDahdi, until } from '../../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { DahdiChannel } from './dahdi-channel';
import { DahdiEvent } from './events';
import { SpanAlarmChange } from './span-alarms';
import { DahdiSpanMonitor, SpanCounters } from './span-monitor';

describeWithFakeDahdi('span alarms and counters over the simulated DAHDI', __filename, () => {
  let sim: SimulatedDahdi;
  const closers: { close(): void }[] = [];
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const c of closers.splice(0)) c.close();
    sim.reset();
  });

  function cable() {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const clock = new VirtualClock(0);
    const changes: SpanAlarmChange[] = [];
    const monA = new DahdiSpanMonitor({ spanno: a.spanno, clock });
    const monB = new DahdiSpanMonitor({ spanno: b.spanno, clock });
    closers.push(monA, monB);
    monA.onAlarm((c) => changes.push(c));
    monB.onAlarm((c) => changes.push(c));
    monA.start();
    monB.start();
    return { a, b, clock, changes, monA, monB };
  }

  test('LOS on one span: channels get ALARM at once, RED after 2500 ms here, YELLOW after 500 ms at the far end', async () => {
    const { a, clock, changes, monA, monB } = cable();
    const ch = DahdiChannel.open(a.bearers[0]);
    closers.push(ch);
    const events: DahdiEvent[] = [];
    ch.onEvent((e) => events.push(e));
    monA.watch(ch);

    sim.injectFault(a, 'LOS');
    await until(() => events.some((e) => e.type === 'alarm'), 'ALARM event');
    monB.refresh();
    clock.advance(499);
    expect(changes).toEqual([]);
    clock.advance(1);
    expect(changes.map((c) => `${c.spanno}:${c.kind}:${c.cause}`)).toEqual([`${a.spanno + 1}:yellow:RAI`]);
    clock.advance(2000);
    expect(changes.map((c) => `${c.spanno}:${c.kind}:${c.cause}`)).toContain(`${a.spanno}:red:LOS`);
    expect(monA.down).toBe(true);
    expect(monB.down).toBe(false);

    sim.clearFault(a, 'LOS');
    await until(() => events.some((e) => e.type === 'noalarm'), 'NOALARM event');
    clock.advance(2500);
    expect(monA.down).toBe(false);
    expect(monB.activeAlarms.yellow).toBe(false);
    expect(
      changes
        .filter((c) => !c.active)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['red', 'yellow']);
  });

  test('AIS gives BLUE; a LOS glitch shorter than the debounce gives nothing', () => {
    const { a, clock, changes, monA } = cable();
    sim.injectFault(a, 'LOS');
    monA.refresh();
    clock.advance(1000);
    sim.clearFault(a, 'LOS');
    monA.refresh();
    clock.advance(5000);
    expect(changes.filter((c) => c.spanno === a.spanno)).toEqual([]);
    sim.injectFault(a, 'AIS');
    clock.advance(2750);
    expect(changes.filter((c) => c.spanno === a.spanno).map((c) => `${c.kind}:${c.cause}`)).toEqual(['blue:AIS']);
  });

  test('counters are read every second; CRC-4 errors here show as E-bits at the far end', () => {
    const { a, clock, monA, monB } = cable();
    const seenA: SpanCounters[] = [];
    const seenB: SpanCounters[] = [];
    monA.onCounters((c) => seenA.push(c));
    monB.onCounters((c) => seenB.push(c));
    sim.injectFault(a, 'CRC4_ERRORS', 5);
    sim.injectFault(a, 'BPV_ERRORS', 2);
    clock.advance(1000);
    expect(seenA[0]).toMatchObject({ crc4: 5, bpv: 2, erroredSeconds: 2, delta: { crc4: 5, bpv: 2 } });
    expect(seenB[0]).toMatchObject({ ebit: 5, crc4: 0 });
    sim.injectFault(a, 'FAS_ERRORS', 1);
    clock.advance(1000);
    expect(seenA[1]).toMatchObject({ fas: 1, crc4: 5, delta: { fas: 1, crc4: 0, erroredSeconds: 1 } });
  });
});
