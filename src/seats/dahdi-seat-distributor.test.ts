/**
 * The seat distributor and the supervisor over the DAHDI media bridge, as the
 * controller uses them on a board: an answered trunk call is put through to an
 * agent's FXS port, a supervisor listens in and barges in, a transfer moves the
 * voice to another port, and hanging up frees every channel. Checked by ear on
 * the userspace DAHDI (each far end sends its own tone).
 */
import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { amplitudeAt, toneBlock } from '../../test-support/dahdi/by-ear';
import { SimSpan, SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { AnswerGroup } from './answer-group';
import { DahdiMediaBridge } from '../../drivers/dahdi/dahdi-media-bridge';
import { Seat } from './seat';
import { SeatDistributor } from './seat-distributor';
import { Supervisor } from './supervisor';

const BLOCK = 160;
const tone = (hz: number) => toneBlock(hz);
const hears = (alaw: Uint8Array, hz: number): boolean => amplitudeAt(alaw, hz) > 2000;
// Whole cycles per block: customer, agent 1, agent 2, supervisor.
const VOICE = { customer: 450, a1: 1050, a2: 1350, boss: 1750 } as const;
type Party = keyof typeof VOICE;

describeWithFakeDahdi('seat distributor over the DAHDI media bridge', __filename, () => {
  let sim: SimulatedDahdi;
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => sim.reset());

  test('answered call to an FXS seat; supervisor listens, barges in; transfer; hang-up frees every channel', async () => {
    const trunks = buildVirtualTrunks(testScenario(), 1);
    const { clock } = trunks;
    const e1: SimSpan[] = trunks.spans.map(() => sim.addSpan('e1-ccs'));
    const phones = sim.addSpan('fxs', { ports: 3 });
    const bridge = new DahdiMediaBridge({
      resolver: {
        trunkChannel: (leg) => e1[trunks.spans.findIndex((s) => s.id === leg.span)].channels[leg.channel - 1],
        seatChannel: (seat) => phones.channels[seat.channel - 1],
      },
    });
    const port = (n: number) => ({ kind: 'fxs' as const, span: phones.spanno, channel: n });
    const seats = [new Seat('a1', port(1), { clock }), new Seat('a2', port(2), { clock })];
    seats.forEach((s) => s.login());
    const distributor = new SeatDistributor({
      clock,
      group: new AnswerGroup('g', seats, 'round-robin'),
      bridge,
      playAbandonMessage: async () => undefined,
    });
    const boss = new Supervisor(distributor, port(3));

    const dialling = trunks.group.dial({ number: '13800000000' });
    await runFor(clock, 3500);
    const call = (await dialling).call!;
    expect(await distributor.route(call)).toMatchObject({ kind: 'connected' });
    const trunkChan = e1[trunks.spans.findIndex((s) => s.id === call.span)].channels[call.channel - 1];
    const farEnd: Record<Party, number> = { customer: trunkChan, a1: phones.channels[0], a2: phones.channels[1], boss: phones.channels[2] };

    /** Everyone speaks for 60 ms; who heard whom in the last 20 ms. */
    const whoHears = (): Record<Party, Party[]> => {
      const parties = Object.keys(VOICE) as Party[];
      for (const p of parties) sim.farReadAudio(farEnd[p], 64 * BLOCK);
      for (let i = 0; i < 3; i++) {
        for (const p of parties) sim.farWriteAudio(farEnd[p], tone(VOICE[p]));
        sim.advanceAudio(20);
      }
      const heard = {} as Record<Party, Party[]>;
      for (const p of parties) {
        const last = sim.farReadAudio(farEnd[p], 64 * BLOCK).subarray(-BLOCK);
        heard[p] = parties.filter((q) => q !== p && hears(last, VOICE[q]));
      }
      return heard;
    };

    expect(whoHears()).toEqual({ customer: ['a1'], a1: ['customer'], a2: [], boss: [] });
    await boss.listen('a1');
    expect(whoHears()).toEqual({ customer: ['a1'], a1: ['customer'], a2: [], boss: ['customer', 'a1'] });
    await boss.bargeIn('a1');
    expect(whoHears()).toEqual({ customer: ['a1', 'boss'], a1: ['customer', 'boss'], a2: [], boss: ['customer', 'a1'] });
    await boss.leave('a1');
    await distributor.transfer('a1', seats[1]);
    expect(whoHears()).toEqual({ customer: ['a2'], a1: [], a2: ['customer'], boss: [] });
    expect(sim.channelState(farEnd.a1).open).toBe(false);

    distributor.hangupFromSeat('a2');
    await runFor(clock, 100);
    expect(call.state).toBe('ended');
    expect(whoHears()).toEqual({ customer: [], a1: [], a2: [], boss: [] });
    for (const p of Object.keys(farEnd) as Party[]) expect(sim.channelState(farEnd[p]).open).toBe(false);
    expect(bridge.openConferences()).toEqual([]);
  });
});
