/**
 * PRI over a (simulated) DAHDI hardhdlc D-channel: libpri CPE and NET, each on
 * its own E1 CCS span, the two spans joined by a simulated cable. Frames go
 * through write()/read() on DAHDI descriptors with a real FCS computed and
 * checked by the simulated HDLC controller; the call's B-channel carries audio.
 */
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { DahdiDChannel } from '../drivers/dahdi/dahdi-dchannel';
import { DahdiSpanMonitor } from '../drivers/dahdi/span-monitor';
import { PriEvent } from '../drivers/libpri/pri-events';
import { PriInstance } from '../drivers/libpri/pri-instance';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi, SimSpan } from '../simulator/dahdi/simulated-dahdi';

describeWithFakeDahdi('PRI over a simulated DAHDI D-channel', __filename, () => {
  let sim: SimulatedDahdi;
  const closers: { close(): void }[] = [];
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const c of closers.splice(0).reverse()) c.close();
    sim.reset();
  });

  function side(span: SimSpan, role: 'cpe' | 'net') {
    // Short debounce so a real-clock test stays quick; the debounce itself is tested in drivers/dahdi.
    const monitor = new DahdiSpanMonitor({ spanno: span.spanno, statusIntervalMs: 20, debounceMs: { red: 60, blue: 60, yellow: 20 } });
    monitor.start();
    const transport = DahdiDChannel.open(span.dchannel!, { monitor });
    const alarms: [boolean, string][] = [];
    transport.onAlarm((a, r) => alarms.push([a, r]));
    const pri = new PriInstance({ role, transport });
    const events: PriEvent[] = [];
    pri.onEvent((e) => events.push(e));
    closers.push(monitor, pri);
    return { pri, events, transport, alarms, monitor };
  }

  test('layer 2 comes up, a call is set up, answered, carries audio and is cleared', async () => {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const cpe = side(a, 'cpe');
    const net = side(b, 'net');
    await until(
      () => cpe.events.some((e) => e.type === 'dchan-up') && net.events.some((e) => e.type === 'dchan-up'),
      'D-channel up',
      10_000,
    );

    net.pri.onEvent((e) => {
      if (e.type === 'ring') {
        net.pri.proceeding(e.call, e.channel!);
        net.pri.answer(e.call, e.channel!);
      }
      if (e.type === 'hangup-req') net.pri.hangup(e.call, e.cause); // DISCONNECT: answer with RELEASE
      if (e.type === 'hangup') net.pri.hangup(e.call, e.cause);
    });
    const call = cpe.pri.setup({ channel: 5, called: '075512345678', calling: '4001' });
    await until(() => cpe.events.some((e) => e.type === 'answer'), 'ANSWER at the CPE', 10_000);
    const ring = net.events.find((e) => e.type === 'ring');
    expect(ring).toMatchObject({ type: 'ring', channel: 5, calledNumber: '075512345678', callingNumber: '4001' });

    // The B-channel the call got carries audio both ways.
    const bA = DahdiChannel.open(a.channels[4]);
    const bB = DahdiChannel.open(b.channels[4]);
    closers.push(bA, bB);
    const heardAtNet: number[] = [];
    const heardAtCpe: number[] = [];
    bB.onData((d) => heardAtNet.push(d[0]));
    bA.onData((d) => heardAtCpe.push(d[0]));
    bA.writeAudio(new Uint8Array(160).fill(0x11));
    bB.writeAudio(new Uint8Array(160).fill(0x22));
    sim.advanceAudio(20);
    await until(() => heardAtNet.length > 0 && heardAtCpe.length > 0, 'B-channel audio', 10_000);
    expect([heardAtNet[0], heardAtCpe[0]]).toEqual([0x11, 0x22]);

    cpe.pri.onEvent((e) => {
      if (e.type === 'hangup') cpe.pri.hangup(e.call, e.cause);
    });
    cpe.pri.hangup(call, 16);
    await until(
      () => net.events.some((e) => e.type === 'hangup-req') && cpe.events.some((e) => e.type === 'hangup' || e.type === 'hangup-ack'),
      'call cleared',
      10_000,
    );
    expect(sim.channelState(a.dchannel!).badFcs).toBe(0);
    expect(sim.channelState(a.dchannel!).framesSent).toBeGreaterThan(3);
  });

  test('LOS on the CPE span reaches the transport as an alarm (and its clearing); frames with a bad FCS are dropped and counted', async () => {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const cpe = side(a, 'cpe');
    const net = side(b, 'net');
    await until(
      () => cpe.events.some((e) => e.type === 'dchan-up') && net.events.some((e) => e.type === 'dchan-up'),
      'D-channel up',
      10_000,
    );

    sim.injectFault(a, 'LOS');
    await until(() => cpe.alarms.length > 0, 'alarm on the CPE transport', 10_000);
    expect(cpe.alarms[0]).toEqual([true, 'LOS']);
    expect(net.alarms).toEqual([]); // the far end only sees RAI: YELLOW leaves the link up
    sim.clearFault(a, 'LOS');
    await until(() => cpe.alarms.length > 1, 'alarm cleared', 10_000);
    expect(cpe.alarms[1]).toEqual([false, 'cleared']);

    sim.injectFault(b, 'BAD_FCS', 2);
    const before = net.transport.badFrames;
    cpe.pri.resetChannel(3); // a RESTART makes the CPE send frames toward the corrupted receiver
    await until(() => net.transport.badFrames >= before + 2, 'bad FCS counted', 10_000);
    expect(sim.channelState(b.dchannel!).badFcs).toBeGreaterThanOrEqual(2);
  });
});
