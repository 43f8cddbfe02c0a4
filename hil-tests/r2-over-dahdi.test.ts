/**
 * China No.1 over the DAHDI driver: our R2 engine at both ends of a simulated E1
 * CAS cable (two spans of the userspace DAHDI), CAS bits through
 * DAHDI_SETTXBITS/GETRXBITS and MF through the channels' A-law blocks, in real time.
 */
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { systemClock } from '../src/core/clock';
import { Q850 } from '../src/core/q850';
import { Span } from '../src/controller/span';
import { TrunkGroup } from '../src/controller/trunk-group';
import { DahdiCasPort } from '../drivers/dahdi/dahdi-cas-port';
import { DahdiSpanMonitor } from '../drivers/dahdi/span-monitor';
import { R2SpanSignalling } from '../src/signalling/r2/r2-span-signalling';
import { CHINA } from '../src/signalling/r2/variants';
import { SignallingEvent } from '../src/signalling/span-signalling';

describeWithFakeDahdi('China No.1 over simulated DAHDI CAS spans', __filename, () => {
  let sim: SimulatedDahdi;
  const closers: { close(): unknown }[] = [];
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c.close();
    sim.reset();
  });

  test('the controller dials over R2 on DAHDI: DNIS and ANI arrive, the call is answered and cleared', async () => {
    const board = sim.addSpan('e1-cas');
    const exchange = sim.addSpan('e1-cas');
    sim.connectSpans(board, exchange);
    const timeslots = [1, 2, 3]; // a few bearer channels are enough here
    const ports = (span: typeof board) => timeslots.map((ts) => DahdiCasPort.open(span.bearers[ts - 1], ts, CHINA.line.forward.idle));
    const boardPorts = ports(board);
    const exchangePorts = ports(exchange);
    closers.push(...boardPorts, ...exchangePorts);
    sim.startClock(systemClock, 20);
    closers.push({ close: () => sim.stopClock() });

    const ours = new R2SpanSignalling({ variant: CHINA, ports: boardPorts, clock: systemClock });
    const far = new R2SpanSignalling({ variant: CHINA, ports: exchangePorts, clock: systemClock, glare: 'hold' });
    closers.push(ours, far);
    const farEvents: SignallingEvent[] = [];
    far.onEvent((ev) => {
      farEvents.push(ev);
      if (ev.type === 'offered') far.answer(ev.call);
    });
    const span = new Span(1, ours, { clock: systemClock });
    const group = new TrunkGroup([span], { clock: systemClock });
    expect(await group.whenReady(3000)).toBe(true);

    const res = await group.dial({ number: '13812345678', callerId: '075512345678' });
    expect(res).toMatchObject({ outcome: 'answered', channel: 3 });
    expect(farEvents.find((e) => e.type === 'offered')).toMatchObject({ number: '13812345678', callerId: '075512345678', channel: 3 });
    res.call!.hangup();
    const end = await res.call!.ended;
    expect(end.cause).toBe(Q850.NORMAL_CLEARING);
    await new Promise((r) => setTimeout(r, 300));
    expect(farEvents.at(-1)).toMatchObject({ type: 'released', by: 'remote' });
    expect(group.leakedChannels()).toEqual([]);
    expect(sim.channelState(board.bearers[2]).txbits).toBe(CHINA.line.forward.idle);
  }, 30_000);

  test('LOS on the E1 under a call: the span monitor takes the circuits down (cause 38), and the line back brings them into service', async () => {
    const board = sim.addSpan('e1-cas');
    const exchange = sim.addSpan('e1-cas');
    sim.connectSpans(board, exchange);
    const timeslots = [1, 2, 3];
    const ports = (span: typeof board) => timeslots.map((ts) => DahdiCasPort.open(span.bearers[ts - 1], ts, CHINA.line.forward.idle));
    const boardPorts = ports(board);
    const exchangePorts = ports(exchange);
    closers.push(...boardPorts, ...exchangePorts);
    sim.startClock(systemClock, 20);
    closers.push({ close: () => sim.stopClock() });
    // Alarm debounce shortened from DAHDI's 2.5 s, as the PRI rig does.
    const monitors = [board, exchange].map(
      (s) => new DahdiSpanMonitor({ spanno: s.spanno, statusIntervalMs: 50, debounceMs: { red: 100, blue: 100, yellow: 50 } }),
    );
    for (const m of monitors) m.start();
    closers.push(...monitors);
    const lineAlarms = (m: DahdiSpanMonitor) => ({ onAlarm: (l: (inAlarm: boolean, reason: string) => void) => m.onDown(l) });
    const ours = new R2SpanSignalling({ variant: CHINA, ports: boardPorts, clock: systemClock, lineAlarms: lineAlarms(monitors[0]) });
    // The exchange's end sees RAI (not a traffic-stopping alarm): it learns of the cut from its own LOS here.
    const far = new R2SpanSignalling({ variant: CHINA, ports: exchangePorts, clock: systemClock, glare: 'hold' });
    closers.push(ours, far);
    far.onEvent((ev) => {
      if (ev.type === 'offered') far.answer(ev.call);
    });
    const span = new Span(1, ours, { clock: systemClock });
    const group = new TrunkGroup([span], { clock: systemClock });
    expect(await group.whenReady(3000)).toBe(true);
    const res = await group.dial({ number: '13812345678' });
    expect(res.outcome).toBe('answered');

    sim.injectFault(board, 'LOS');
    const end = await res.call!.ended;
    expect(end).toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' });
    expect(span.idleCount()).toBe(0);
    sim.clearFault(board, 'LOS');
    const back = Date.now();
    for (let i = 0; i < 200 && span.idleCount() < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(span.idleCount()).toBe(3);
    expect(Date.now() - back).toBeLessThan(2000);
    // The exchange's end of the call went with the line too, once its own bits said so: both ends idle, a call goes through.
    for (let i = 0; i < 300 && ![...far.channels.values()].every((c) => c.isIdle); i++) await new Promise((r) => setTimeout(r, 10));
    const again = await group.dial({ number: '13812345679' });
    expect(again.outcome).toBe('answered');
    again.call!.hangup();
    await again.call!.ended;
    expect(group.leakedChannels()).toEqual([]);
  }, 30_000);
});
