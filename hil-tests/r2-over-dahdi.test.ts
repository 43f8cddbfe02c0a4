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
});
