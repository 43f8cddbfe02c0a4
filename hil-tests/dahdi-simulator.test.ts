/**
 * The simulated DAHDI's line model seen through drivers/dahdi: CAS, analog
 * ports, conferences and monitors, and the named fault catalogue.
 */
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { DahdiEvent } from '../drivers/dahdi/events';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { FAULT_CATALOGUE } from '../simulator/dahdi/faults';
import { decodeAlaw, encodeAlaw } from '../src/dsp/g711';

const level = (linear: number, n = 160) => encodeAlaw(new Int16Array(n).fill(linear));
const meanLevel = (alaw: Uint8Array) => {
  const pcm = decodeAlaw(alaw);
  return pcm.reduce((s, x) => s + x, 0) / Math.max(1, pcm.length);
};

describeWithFakeDahdi('simulated DAHDI line model', __filename, () => {
  let sim: SimulatedDahdi;
  const open: DahdiChannel[] = [];
  const openChan = (n: number) => {
    const c = DahdiChannel.open(n);
    open.push(c);
    return c;
  };
  const eventsOf = (c: DahdiChannel) => {
    const evs: DahdiEvent[] = [];
    c.onEvent((e) => evs.push(e));
    return evs;
  };
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    sim.reset();
  });

  test('CAS: every ABCD pattern round-trips both ways across a cable', async () => {
    const a = sim.addSpan('e1-cas');
    const b = sim.addSpan('e1-cas');
    sim.connectSpans(a, b);
    const left = openChan(a.bearers[10]);
    const right = openChan(b.bearers[10]);
    for (let abcd = 0; abcd < 16; abcd++) {
      left.setTxBits(abcd);
      right.setTxBits(15 - abcd);
      expect([right.rxBits(), left.rxBits()]).toEqual([abcd, 15 - abcd]);
    }
    // The far end of an uncabled channel is the simulator's exchange.
    const lone = sim.addSpan('e1-cas');
    const ch = openChan(lone.bearers[0]);
    const evs = eventsOf(ch);
    sim.farSetBits(lone.bearers[0], 0b0011);
    await until(() => evs.some((e) => e.type === 'bitschanged'), 'BITSCHANGED');
    expect(ch.rxBits()).toBe(0b0011);
    ch.setTxBits(0b1011);
    expect(sim.channelState(lone.bearers[0]).txbits).toBe(0b1011);
  });

  test('FXO port: ringing, answer by off-hook, polarity reversal, flash and battery loss', async () => {
    const fxo = sim.addSpan('fxo', { ports: 4 });
    const port = fxo.channels[0];
    const line = openChan(port);
    const evs = eventsOf(line);
    sim.farRing(port, true);
    await until(() => evs.some((e) => e.type === 'ringoffhook'), 'ring');
    expect(evs.map((e) => e.type)).toEqual(['ringbegin', 'ringoffhook']);
    sim.farRing(port, false);
    await until(() => evs.some((e) => e.type === 'ringeroff'), 'ring off');
    line.hook('offhook');
    expect(sim.channelState(port).offhook).toBe(true);
    sim.farPolarityReversal(port);
    line.hook('flash');
    await until(() => evs.some((e) => e.type === 'polarity') && evs.some((e) => e.type === 'hookcomplete'), 'polarity and flash');
    sim.farBattery(port, false);
    await until(() => evs.some((e) => e.type === 'alarm'), 'battery loss');
    expect(line.params().chan_alarms).not.toBe(0);
    line.hook('onhook');
    expect(sim.channelState(port).offhook).toBe(false);
  });

  test('FXS port (a seat): we ring the phone, it answers (ring trip), hangs up; an FXO port cabled to it sees the ringing', async () => {
    const seats = sim.addSpan('fxs', { ports: 2 });
    const seat = openChan(seats.channels[0]);
    const evs = eventsOf(seat);
    seat.hook('ring');
    expect(sim.channelState(seats.channels[0]).ringingFarEnd).toBe(true);
    sim.farHook(seats.channels[0], true);
    await until(() => evs.some((e) => e.type === 'ringoffhook'), 'answer');
    expect(sim.channelState(seats.channels[0]).ringingFarEnd).toBe(false);
    sim.farHook(seats.channels[0], false);
    await until(() => evs.some((e) => e.type === 'onhook'), 'hang-up');

    const fxo = sim.addSpan('fxo', { ports: 1 });
    sim.connectChannels(seats.channels[1], fxo.channels[0]);
    const ringer = openChan(seats.channels[1]);
    const phone = openChan(fxo.channels[0]);
    const ringerEvents = eventsOf(ringer);
    const phoneEvents = eventsOf(phone);
    ringer.hook('ring');
    await until(() => phoneEvents.some((e) => e.type === 'ringoffhook'), 'ring at the FXO end');
    phone.hook('offhook');
    await until(() => ringerEvents.some((e) => e.type === 'ringoffhook'), 'off-hook seen by the FXS end');
    expect(() => ringer.hook('ring')).toThrow(/EBUSY/);
    phone.hook('flash');
    await until(
      () => ringerEvents.some((e) => e.type === 'winkflash') && phoneEvents.some((e) => e.type === 'hookcomplete'),
      'flash seen by the FXS end',
    );
  });

  test('trunk-to-seat conference carries audio both ways; a supervisor monitor hears both sides; barge-in joins the call', async () => {
    const trunks = sim.addSpan('e1-ccs');
    const exchange = sim.addSpan('e1-ccs');
    sim.connectSpans(trunks, exchange);
    const seats = sim.addSpan('fxs', { ports: 2 });
    const [agentPort, supervisorPort] = seats.channels;
    const trunk = openChan(trunks.bearers[0]);
    const customer = openChan(exchange.bearers[0]); // the far end of the trunk
    const seat = openChan(agentPort);
    const supervisor = openChan(supervisorPort);
    const customerHears: Uint8Array[] = [];
    customer.onData((d) => customerHears.push(d));

    const confno = trunk.setConference({ kind: 'member', confno: 0 });
    expect(confno).toBeGreaterThan(0);
    seat.setConference({ kind: 'member', confno });
    expect(seat.conference()).toMatchObject({ confno, confmode: 0x304 });
    supervisor.setConference({ kind: 'monitor', channo: trunk.channo, hear: 'both' });

    // In step with DAHDI's 20 ms ticks: each side writes a block, the line moves, the customer reads one.
    const run = async (ticks: number) => {
      for (let i = 0; i < ticks; i++) {
        const before = customerHears.length;
        customer.writeAudio(level(1000));
        sim.farWriteAudio(agentPort, level(3000));
        sim.farWriteAudio(supervisorPort, level(-2000));
        sim.advanceAudio(20);
        await until(() => customerHears.length === before + 1, 'a block at the customer');
      }
    };
    await run(5);
    const agentHears = sim.farReadAudio(agentPort, 800).subarray(-160);
    const supervisorHears = sim.farReadAudio(supervisorPort, 800).subarray(-160);
    expect(meanLevel(agentHears)).toBeCloseTo(1000, -2);
    expect(meanLevel(customerHears[customerHears.length - 1])).toBeCloseTo(3000, -2);
    expect(meanLevel(supervisorHears)).toBeCloseTo(4000, -2); // customer + agent

    // Barge-in: the supervisor joins the conference; the customer now hears agent + supervisor.
    supervisor.setConference({ kind: 'member', confno });
    customerHears.length = 0;
    await run(5);
    expect(meanLevel(customerHears[customerHears.length - 1])).toBeCloseTo(1000, -2);
    // Leaving the conference stops the bridge.
    trunk.setConference({ kind: 'none' });
    customerHears.length = 0;
    await run(3);
    expect(Math.abs(meanLevel(customerHears[customerHears.length - 1]))).toBeLessThan(16); // A-law silence
  });

  test('fault catalogue: LOS stops audio, bits and frames and raises ALARM; clearing restores them', async () => {
    expect(Object.keys(FAULT_CATALOGUE)).toEqual(expect.arrayContaining(['LOS', 'AIS', 'RAI', 'SLIPS', 'CRC4_ERRORS', 'DCHANNEL_DOWN']));
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const tx = openChan(a.bearers[0]);
    const rx = openChan(b.bearers[0]);
    const dA = openChan(a.dchannel!);
    const dB = openChan(b.dchannel!);
    const rxEvents = eventsOf(rx);
    const audio: Uint8Array[] = [];
    const frames: Uint8Array[] = [];
    rx.onData((d) => audio.push(d));
    dB.onData((f) => frames.push(f));

    sim.injectFault(b, 'LOS');
    await until(() => rxEvents.some((e) => e.type === 'alarm'), 'ALARM');
    expect(rx.spanStatus().alarms & 0x108).toBe(0x108); // RED + LOS
    tx.writeAudio(new Uint8Array(160).fill(0x55));
    dA.writeFrame(Uint8Array.of(1, 2, 3, 0, 0));
    sim.advanceAudio(20);
    await until(() => audio.length === 1, 'a block during LOS');
    expect(audio[0].every((x) => x === 0xff)).toBe(true); // all ones: nothing from the line
    expect(frames).toEqual([]);

    sim.clearFault(b, 'LOS');
    await until(() => rxEvents.some((e) => e.type === 'noalarm'), 'NOALARM');
    tx.writeAudio(new Uint8Array(160).fill(0x55));
    dA.writeFrame(Uint8Array.of(1, 2, 3, 0, 0));
    sim.advanceAudio(20);
    await until(() => audio.length === 2 && frames.length === 1, 'traffic after recovery');
    expect(audio[1].every((x) => x === 0x55)).toBe(true);
  });

  test('fault catalogue: D-channel down drops frames without an alarm; slips delete one frame of audio each', async () => {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const dA = openChan(a.dchannel!);
    const dB = openChan(b.dchannel!);
    const frames: Uint8Array[] = [];
    dB.onData((f) => frames.push(f));
    sim.injectFault(a, 'DCHANNEL_DOWN');
    dA.writeFrame(Uint8Array.of(9, 9, 9, 0, 0));
    expect(dB.spanStatus().alarms).toBe(0);
    sim.clearFault(a, 'DCHANNEL_DOWN');
    dA.writeFrame(Uint8Array.of(7, 7, 7, 0, 0));
    await until(() => frames.length === 1, 'frame after the D-channel is back');
    expect(frames[0][0]).toBe(7);

    const tx = openChan(a.bearers[0]);
    const rx = openChan(b.bearers[0]);
    const audio: Uint8Array[] = [];
    rx.onData((d) => audio.push(d));
    sim.injectFault(b, 'SLIPS', 2);
    for (let i = 0; i < 4; i++) {
      tx.writeAudio(Uint8Array.from({ length: 160 }, (_, k) => (i * 160 + k) & 0xff));
      sim.advanceAudio(20);
    }
    await until(() => audio.length === 3, 'blocks after slips');
    const stream = Buffer.concat(audio.map((x) => Buffer.from(x)));
    expect(sim.spanState(b).slips).toBe(2);
    // 640 samples sent, 2 deleted: the stream skips one sample at each of the first two ticks.
    expect(stream[0]).toBe(0);
    expect(stream[159]).toBe(160);
    expect(stream[318]).toBe(320 & 0xff);
  });
});
