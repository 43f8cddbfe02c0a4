/**
 * Agents as people use them, on the userspace DAHDI: the seat phones on FXS ports ring
 * (with China's 1 s on / 4 s off cadence), the first agent to lift the handset under
 * ring-all is bridged and the others stop ringing, an agent who does not answer is made
 * not ready and the call goes to the next seat, the handset and feature codes dialled
 * on it drive the seat, and remote agents are called out on a trunk and bridged on that
 * leg (per call, and nailed up for several calls). Who hears whom is checked by ear:
 * every far end sends its own tone and the others' are looked for in what it receives.
 */
import { VirtualClock } from '../src/core/clock';
import { TrunkCall } from '../src/controller/trunk-call';
import { encodeAlaw } from '../src/dsp/g711';
import { DahdiChannelLender } from '../drivers/dahdi/dahdi-channel-lender';
import { DahdiMediaBridge } from '../drivers/dahdi/dahdi-media-bridge';
import { DahdiSeatPhone } from '../drivers/dahdi/dahdi-seat-phone';
import { ringCadenceForZone } from '../drivers/ports/seat-phone-port';
import { DtmfSender } from '../drivers/spandsp/dtmf';
import { SeatKeypad } from '../src/runtime/seat-keypad';
import { AnswerGroup, AnswerStrategy } from '../src/seats/answer-group';
import { RemoteAgentLine, RemoteAgentMode } from '../src/seats/remote-agent';
import { Seat } from '../src/seats/seat';
import { NO_ANSWER, RouteResult, SeatDistributor } from '../src/seats/seat-distributor';
import { HANDSET_OFF_HOOK, SeatPhoneAgent } from '../src/seats/seat-phone';
import { Supervisor } from '../src/seats/supervisor';
import { buildVirtualTrunks, runFor, testScenario, VirtualTrunks } from '../simulator/virtual-trunk/virtual-rig';
import { SimSpan, SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { amplitudeAt, toneBlock } from '../test-support/dahdi/by-ear';

const BLOCK = 160;
const tone = (hz: number) => toneBlock(hz);
const level = amplitudeAt;
const hears = (alaw: Uint8Array, hz: number) => level(alaw, hz) > 2000;

// Whole cycles per 20 ms block, one per far end.
const VOICES = [450, 1050, 1350, 1750, 2050, 2250];

describeWithFakeDahdi('agents at seat phones and remote agents on the userspace DAHDI', __filename, () => {
  let sim: SimulatedDahdi;
  let trunks: VirtualTrunks;
  let clock: VirtualClock;
  let e1: SimSpan[];
  let phones: SimSpan;
  let bridge: DahdiMediaBridge;
  const phoneChannels = new Map<number, DahdiSeatPhone>();
  const closers: (() => Promise<void> | void)[] = [];

  beforeEach(() => {
    sim = SimulatedDahdi.attach();
    trunks = buildVirtualTrunks(testScenario({ lines: 8, talk_sec: { dist: 'fixed', value: 3600 } }), 1);
    clock = trunks.clock;
    e1 = trunks.spans.map(() => sim.addSpan('e1-ccs'));
    phones = sim.addSpan('fxs', { ports: 4 });
    phoneChannels.clear();
    bridge = new DahdiMediaBridge({
      resolver: {
        trunkChannel: (leg) => trunkChannel(leg),
        seatChannel: (seat) => phones.channels[seat.channel - 1],
      },
      // The phones hold their channels open; the bridge borrows them, as the gateway's does.
      channels: new DahdiChannelLender({ lookup: (channo) => phoneChannels.get(channo)?.channel }),
    });
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    sim.reset();
  });

  const trunkChannel = (leg: { span: number; channel: number }) =>
    e1[trunks.spans.findIndex((s) => s.id === leg.span)].channels[leg.channel - 1];
  const port = (n: number) => ({ kind: 'fxs' as const, span: phones.spanno, channel: n });
  const phoneChan = (n: number) => phones.channels[n - 1];

  /** A seat at FXS port n whose phone the test's agent uses. */
  const phoneSeat = (id: string, n: number, distributorOf: () => SeatDistributor) => {
    const phonePort = DahdiSeatPhone.open(phoneChan(n), ringCadenceForZone('cn'));
    phoneChannels.set(phoneChan(n), phonePort);
    const keypad = new SeatKeypad(phonePort);
    const seat = new Seat(id, port(n), { clock, maxWrapSec: 10 });
    const agent = new SeatPhoneAgent(seat, keypad, { clock, hangUp: (s) => distributorOf().hangupFromSeat(s.id) });
    seat.answering = agent;
    closers.push(async () => {
      agent.close();
      await keypad.close();
    });
    seat.login();
    return seat;
  };

  const remoteSeat = (id: string, number: string, mode: RemoteAgentMode, distributorOf: () => SeatDistributor) => {
    const seat = new Seat(id, { kind: 'remote', number }, { clock, maxWrapSec: 10 });
    const line = new RemoteAgentLine(seat, number, {
      mode,
      dial: async (n, ringSec) => (await trunks.group.dial({ number: n, ringTimeoutSec: ringSec })).call,
      hangUp: (s) => distributorOf().hangupFromSeat(s.id),
    });
    seat.answering = line;
    closers.push(() => line.close());
    return { seat, line };
  };

  const distributorFor = (seats: Seat[], strategy: AnswerStrategy, ringSec = 15) =>
    new SeatDistributor({
      clock,
      group: new AnswerGroup('g', seats, strategy),
      bridge,
      ringSec,
      abandonAfterSec: 60,
      playAbandonMessage: async () => undefined,
    });

  const answeredCustomer = async (number = '13800000001'): Promise<TrunkCall> => {
    const dialling = trunks.group.dial({ number });
    await runFor(clock, 3500);
    const call = (await dialling).call;
    if (!call) throw new Error('the customer did not answer');
    return call;
  };

  /** Every far end speaks for 60 ms; which of the others each heard in the last 20 ms. */
  const whoHears = (ends: Record<string, number>): Record<string, string[]> => {
    const names = Object.keys(ends);
    const voice = (name: string) => VOICES[names.indexOf(name)];
    for (const p of names) sim.farReadAudio(ends[p], 64 * BLOCK);
    for (let i = 0; i < 3; i++) {
      for (const p of names) sim.farWriteAudio(ends[p], tone(voice(p)));
      sim.advanceAudio(20);
    }
    const heard: Record<string, string[]> = {};
    for (const p of names) {
      const last = sim.farReadAudio(ends[p], 64 * BLOCK).subarray(-BLOCK);
      heard[p] = names.filter((q) => q !== p && hears(last, voice(q)));
    }
    return heard;
  };

  /** Settles a route that is waiting on a phone: real time for the DAHDI events, virtual time for the timers. */
  const settle = async (routing: Promise<RouteResult>): Promise<RouteResult> => {
    let result: RouteResult | undefined;
    void routing.then((r) => (result = r));
    await until(() => result !== undefined, 'the route to settle');
    return result!;
  };

  test('ring-all rings three seat phones with the zone cadence; the first to lift is bridged, the others stop ringing', async () => {
    const seats = [1, 2, 3].map((n) => phoneSeat(`a${n}`, n, () => distributor));
    const distributor = distributorFor(seats, 'ring-all');
    expect(sim.channelState(phoneChan(1)).ringCadence).toEqual([1000, 4000]);

    const call = await answeredCustomer();
    const routing = distributor.route(call);
    await until(() => [1, 2, 3].every((n) => sim.channelState(phoneChan(n)).ringingFarEnd), 'three phones ringing');
    expect(seats.map((s) => s.state)).toEqual(['reserved', 'reserved', 'reserved']);

    sim.farHook(phoneChan(2), true);
    const result = await settle(routing);
    expect(result).toMatchObject({ kind: 'connected', seat: seats[1] });
    expect([1, 2, 3].map((n) => sim.channelState(phoneChan(n)).ringingFarEnd)).toEqual([false, false, false]);
    expect(seats.map((s) => s.state)).toEqual(['ready', 'talking', 'ready']);

    const ends = { customer: trunkChannel(call), a1: phoneChan(1), a2: phoneChan(2), a3: phoneChan(3) };
    expect(whoHears(ends)).toEqual({ customer: ['a2'], a1: [], a2: ['customer'], a3: [] });

    // The agent hangs up: the customer is cleared; wrap-up runs its time with the handset down, then ready.
    sim.farHook(phoneChan(2), false);
    await until(() => seats[1].state === 'wrap-up', 'wrap-up after the hang-up');
    await runFor(clock, 100);
    expect(call.state).toBe('ended');
    await runFor(clock, 10_000);
    expect(seats[1].state).toBe('ready');
    expect(bridge.openConferences()).toEqual([]);
  });

  test('an agent who does not answer is made not ready and the call rings the next seat; a handset left up is not ready', async () => {
    const seats = [1, 2].map((n) => phoneSeat(`a${n}`, n, () => distributor));
    const distributor = distributorFor(seats, 'round-robin', 15);
    const call = await answeredCustomer();
    const routing = distributor.route(call);
    await until(() => sim.channelState(phoneChan(1)).ringingFarEnd, 'the first phone ringing');
    expect(sim.channelState(phoneChan(2)).ringingFarEnd).toBe(false);

    await runFor(clock, 15_000);
    expect(seats[0].state).toBe('paused');
    expect(seats[0].pauseReason).toBe(NO_ANSWER);
    expect(sim.channelState(phoneChan(1)).ringingFarEnd).toBe(false);
    await until(() => sim.channelState(phoneChan(2)).ringingFarEnd, 'the next phone ringing');

    sim.farHook(phoneChan(2), true);
    expect(await settle(routing)).toMatchObject({ kind: 'connected', seat: seats[1] });
    expect(whoHears({ customer: trunkChannel(call), a1: phoneChan(1), a2: phoneChan(2) })).toEqual({
      customer: ['a2'],
      a1: [],
      a2: ['customer'],
    });

    // The customer leaves; the agent keeps the handset up past wrap-up: not ready until it goes down.
    call.hangup();
    await runFor(clock, 100);
    expect(seats[1].state).toBe('wrap-up');
    await runFor(clock, 10_000);
    expect(seats[1].state).toBe('paused');
    expect(seats[1].pauseReason).toBe(HANDSET_OFF_HOOK);
    sim.farHook(phoneChan(2), false);
    await until(() => seats[1].state === 'ready', 'ready once the handset is down');
  });

  test('feature codes from the seat phone: *4 not ready, *3 ready on hang-up, *2 log out, *1 log in, each confirmed by tone', async () => {
    const seat = phoneSeat('a1', 1, () => {
      throw new Error('no call in this test');
    });
    const chan = phoneChan(1);
    const dtmf = new DtmfSender({ onMs: 80, offMs: 80 });
    closers.push(() => dtmf.close());
    /**
     * Dials digits from the handset, 20 ms of line audio at a time paced a little slower
     * than real time (the seat's reads keep up), and says which tone came back: three
     * 1400 Hz beeps (confirm) or a long 450 Hz one (refuse); 'none' after 3 s of real time.
     */
    const dial = async (digits: string): Promise<'confirm' | 'refuse' | 'none'> => {
      // What the seat still plays of an earlier tone (up to 800 ms) leaves the line first.
      for (let i = 0; i < 45; i++) {
        sim.advanceAudio(20);
        await new Promise((r) => setTimeout(r, 5));
      }
      sim.farReadAudio(chan, 64 * BLOCK);
      dtmf.send(digits);
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        const pcm = new Int16Array(BLOCK);
        dtmf.generate(pcm);
        sim.farWriteAudio(chan, encodeAlaw(pcm));
        sim.advanceAudio(20);
        await new Promise((r) => setTimeout(r, 5));
        const back = sim.farReadAudio(chan, 64 * BLOCK);
        for (let at = 0; at + BLOCK <= back.length; at += BLOCK) {
          const block = back.subarray(at, at + BLOCK);
          if (level(block, 1400) > 2000) return 'confirm';
          if (level(block, 450) > 2000) return 'refuse';
        }
      }
      return 'none';
    };

    sim.farHook(chan, true);
    await until(() => seat.state === 'paused', 'the lifted handset makes the seat not ready');
    expect(seat.pauseReason).toBe(HANDSET_OFF_HOOK);
    expect(await dial('*4')).toBe('confirm');
    expect(seat.pauseReason).toBe('agent: not ready (*4)');
    sim.farHook(chan, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(seat.state).toBe('paused'); // the agent's own pause outlives the hang-up

    sim.farHook(chan, true);
    expect(await dial('*3')).toBe('confirm');
    sim.farHook(chan, false);
    await until(() => seat.state === 'ready', 'ready on hang-up after *3');

    sim.farHook(chan, true);
    await until(() => seat.state === 'paused', 'lifted');
    expect(await dial('*2')).toBe('confirm');
    expect(seat.state).toBe('logged-out');
    expect(await dial('*9')).toBe('refuse');
    expect(await dial('*1')).toBe('confirm');
    expect(seat.state).toBe('paused'); // logged in, handset still up
    sim.farHook(chan, false);
    await until(() => seat.state === 'ready', 'ready once the handset is down');
  });

  test('a remote agent is called out per call and bridged on that leg; a supervisor listens, barges in, and transfers a call to it', async () => {
    const local = phoneSeat('a1', 1, () => distributor);
    const { seat: remote } = remoteSeat('r1', '13900000009', 'per-call', () => distributor);
    remote.login();
    const distributor = distributorFor([remote, local], 'priority');
    local.forceBusy('busy for this test');

    const first = await answeredCustomer('13800000001');
    const routing = distributor.route(first);
    await runFor(clock, 3500); // the agent's number rings, then answers
    const result = await settle(routing);
    expect(result).toMatchObject({ kind: 'connected', seat: remote });
    const live = distributor.liveCall('r1')!;
    expect(live.endpoint).toMatchObject({ kind: 'remote', number: '13900000009' });
    const agentLeg = (live.endpoint as { leg: { span: number; channel: number } }).leg;
    expect(whoHears({ customer: trunkChannel(first), agent: trunkChannel(agentLeg) })).toEqual({
      customer: ['agent'],
      agent: ['customer'],
    });
    // A supervisor at port 4 listens in (hears both, is not heard), then barges in.
    const supervisor = new Supervisor(distributor, port(4));
    await supervisor.listen('r1');
    const ends = { customer: trunkChannel(first), agent: trunkChannel(agentLeg), boss: phoneChan(4) };
    expect(whoHears(ends)).toEqual({ customer: ['agent'], agent: ['customer'], boss: ['customer', 'agent'] });
    await supervisor.bargeIn('r1');
    expect(whoHears(ends)).toEqual({ customer: ['agent', 'boss'], agent: ['customer', 'boss'], boss: ['customer', 'agent'] });
    await supervisor.leave('r1');

    // The call ends: the per-call leg is cleared with it.
    distributor.hangupFromSeat('r1');
    await runFor(clock, 500);
    expect(trunks.spans.flatMap((s) => s.activeCalls())).toEqual([]);
    remote.wrapDone();

    // Transfer from the local agent to the remote one: it is called out, then the customer hears it.
    local.forceReady();
    remote.forceBusy('kept for the transfer');
    const second = await answeredCustomer('13800000002');
    const routed = distributor.route(second);
    await until(() => sim.channelState(phoneChan(1)).ringingFarEnd, 'the local phone ringing');
    sim.farHook(phoneChan(1), true);
    await settle(routed);
    remote.forceReady();
    const boss = new Supervisor(distributor, port(4));
    const moving = boss.transfer('a1', remote);
    await runFor(clock, 3500);
    await moving;
    const leg2 = (distributor.liveCall('r1')!.endpoint as { leg: { span: number; channel: number } }).leg;
    expect(whoHears({ customer: trunkChannel(second), a1: phoneChan(1), agent: trunkChannel(leg2) })).toEqual({
      customer: ['agent'],
      a1: [],
      agent: ['customer'],
    });
    expect(local.state).toBe('wrap-up');
  });

  test('a remote agent that does not answer is made not ready', async () => {
    const { seat } = remoteSeat('r1', '13900000009', 'per-call', () => distributor);
    seat.login();
    // The agent's number answers after 3 s; it is rung for 1 s only.
    const distributor = distributorFor([seat], 'ring-all', 1);
    const call = await answeredCustomer();
    const routing = distributor.route(call);
    await runFor(clock, 5000);
    expect(seat.state).toBe('paused');
    expect(seat.pauseReason).toBe(NO_ANSWER);
    call.hangup();
    await runFor(clock, 100);
    expect(await routing).toMatchObject({ kind: 'lost' });
    expect(trunks.spans.flatMap((s) => s.activeCalls())).toEqual([]);
  });

  test('a nailed-up agent is called once at login and takes several customer calls on that one leg', async () => {
    const { seat, line } = remoteSeat('r1', '13900000009', 'nailed-up', () => distributor);
    const distributor = distributorFor([seat], 'round-robin');
    seat.login();
    expect(seat.state).toBe('paused'); // calling the agent
    await runFor(clock, 3500);
    expect(seat.state).toBe('ready');
    const leg = line.agentLeg!;
    expect(leg.state).toBe('answered');

    for (const number of ['13800000001', '13800000002', '13800000003']) {
      const call = await answeredCustomer(number);
      const result = await distributor.route(call);
      expect(result).toMatchObject({ kind: 'connected', seat });
      expect(line.agentLeg).toBe(leg);
      expect(whoHears({ customer: trunkChannel(call), agent: trunkChannel(leg) })).toEqual({ customer: ['agent'], agent: ['customer'] });
      call.hangup();
      await runFor(clock, 100);
      expect(seat.state).toBe('wrap-up');
      // Between calls the agent hears no customer, and the leg stays up.
      expect(whoHears({ customer: trunkChannel(call), agent: trunkChannel(leg) })).toEqual({ customer: [], agent: [] });
      expect(leg.state).toBe('answered');
      seat.wrapDone();
    }

    // The agent hangs up the leg: the seat is not ready.
    leg.hangup();
    await runFor(clock, 500);
    expect(seat.state).toBe('paused');
    expect(seat.pauseReason).toBe('agent leg dropped');
    seat.logout();
    expect(trunks.spans.flatMap((s) => s.activeCalls())).toEqual([]);
  });
});
