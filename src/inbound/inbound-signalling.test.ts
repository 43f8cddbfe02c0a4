/**
 * Incoming calls routed the same way whatever the trunk: a China No.1 exchange
 * seizes a circuit (R2 MFC, the called number and caller in the register
 * signals), an analog exchange rings an FXO line (caller ID in FSK, no called
 * number: routed by trunk group), a No.7 exchange sends an ISUP IAM, the mobile
 * network rings a GSM/LTE module (RING with +CLIP; routed by trunk group). Each reaches
 * a seat of the answer group and the channel is idle again after (R2 and FXO in
 * virtual time; No.7 on the wall clock, as its rig runs).
 */
import { VirtualClock } from '../core/clock';
import { silentLogger } from '../core/logger';
import { Span } from '../controller/span';
import { AnswerGroup } from '../seats/answer-group';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { FxoSpanSignalling } from '../signalling/fxo/fxo-span-signalling';
import { SimulatedAnalogLine } from '../../simulator/analog/exchange-line';
import { CalleePopulation } from '../../simulator/callee-population';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { buildR2Rig } from '../../simulator/r2/r2-rig';
import { buildNo7Rig } from '../../simulator/ss7/no7-rig';
import { buildGsmRig } from '../../simulator/modem/gsm-rig';
import { systemClock } from '../core/clock';
import { runVirtual } from '../../simulator/r2/virtual-time';
import { InboundQueue } from './inbound-queue';
import { IncomingCalls } from './incoming-calls';

type AnyClock = VirtualClock | typeof systemClock;

function seatsFor(clock: AnyClock) {
  const seats = [1, 2].map((n) => new Seat(`seat${n}`, { kind: 'simulated', id: `seat${n}` }, { clock }));
  for (const s of seats) s.login();
  const group = new AnswerGroup('support', seats, 'round-robin');
  const bridge = new SimulatedMediaBridge();
  const distributor = new SeatDistributor({ clock, group, bridge, playAbandonMessage: async () => undefined });
  return { seats, distributor, bridge };
}

function routeTo(
  span: Span,
  clock: VirtualClock | typeof systemClock,
  distributor: SeatDistributor,
  trunkGroup: string,
  rule: { called?: string; trunkGroup?: string },
) {
  const queue = new InboundQueue({
    clock,
    distributor,
    settings: { maxWaiting: 5, maxWaitSec: 60, serviceLevelSec: 20 },
    answer: (c) => span.accept(c),
  });
  const incoming = new IncomingCalls({
    rules: [{ ...rule, answerGroup: 'support' }],
    queues: new Map([['support', queue]]),
    trunkGroupOf: () => trunkGroup,
  });
  span.onIncoming = (c) => incoming.offer(c);
  return { queue, incoming };
}

describe('incoming calls on every kind of trunk', () => {
  test('China No.1: the exchange seizes a circuit for 4000 from 075500000000 and reaches a seat', async () => {
    const clock = new VirtualClock(0);
    const r = await buildR2Rig({ spans: 1, seed: 5, population: new CalleePopulation({ seed: 5 }), logger: silentLogger, clock });
    await runVirtual(clock, r.group.whenReady(1000));
    const { seats, distributor } = seatsFor(clock);
    const { span, exchange } = r.spans[0];
    const { queue } = routeTo(span, clock, distributor, 'cn1', { called: '4000' });
    exchange.originate(5, '4000', '075500000000');
    await runVirtual(clock, new Promise<void>((done) => seats[0].onChange((s) => s.state === 'talking' && done())), 30_000);
    const live = distributor.liveCall('seat1')!;
    expect(live.call).toMatchObject({ direction: 'inbound', number: '4000', callerId: '075500000000', state: 'answered' });
    expect(queue.figures()).toMatchObject({ connected: 1, connectedWithinTarget: 1 });
    distributor.hangupFromSeat('seat1');
    await runVirtual(clock, live.call.ended);
    clock.advance(2000);
    expect(r.group.leakedChannels()).toEqual([]);
    expect(span.channel(5)!.state).toBe('idle');
    await r.close();
  });

  test('FXO: the line rings with caller ID, is answered after the rings, and reaches a seat by trunk group', async () => {
    const clock = new VirtualClock(1_000_000);
    const population = new CalleePopulation({ seed: 'inbound-fxo' });
    const lines = [1, 2].map(
      (n) => new SimulatedAnalogLine({ clock, population, seed: 'inbound-fxo', name: `l${n}`, polarityReversal: true }),
    );
    const sig = new FxoSpanSignalling(lines, { clock, answerSupervision: 'polarity' });
    const span = new Span(1, sig, { clock });
    clock.advance(2000);
    const { seats, distributor } = seatsFor(clock);
    const { incoming } = routeTo(span, clock, distributor, 'pstn-lines', { trunkGroup: 'pstn-lines' });
    lines[1].offerCall({ callerId: '13812345678', maxRings: 6, talkMs: 4000 });
    for (let i = 0; i < 120 && seats[0].state !== 'talking'; i++) {
      clock.advance(100);
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(seats[0].state).toBe('talking');
    expect(distributor.liveCall('seat1')!.call).toMatchObject({ channel: 2, callerId: '13812345678', number: '' });
    expect(incoming.counts).toMatchObject({ offered: 1, queued: 1 });
    // The caller talks 4 s and hangs up: the seat wraps up, the line goes idle.
    for (let i = 0; i < 100 && seats[0].state === 'talking'; i++) {
      clock.advance(100);
      await Promise.resolve();
    }
    clock.advance(3000);
    expect(seats[0].state).toBe('wrap-up');
    expect(span.channel(2)!.state).toBe('idle');
    expect(span.leakedChannels()).toEqual([]);
    await sig.close();
  });

  test('No.7 ISUP: an IAM for 95566 from 13912345678 reaches a seat; the caller hears the answer and clears', async () => {
    const r = await buildNo7Rig({
      kind: 'ss7-isup',
      spans: 1,
      seed: 5,
      population: new CalleePopulation({ seed: 5 }),
      logger: silentLogger,
    });
    try {
      const { seats, distributor } = seatsFor(systemClock);
      const { span, exchange } = r.spans[0];
      routeTo(span, systemClock, distributor, 'no7', { called: '95566' });
      const caller = exchange.originate('95566', '13912345678');
      await caller.answered;
      await new Promise((done) => setTimeout(done, 50));
      expect(seats[0].state).toBe('talking');
      expect(distributor.liveCall('seat1')!.call).toMatchObject({ number: '95566', callerId: '13912345678' });
      caller.hangup();
      expect(await caller.released).toMatchObject({ by: 'local' });
      for (let i = 0; i < 100 && span.counts().idle !== span.channels.length; i++) await new Promise((done) => setTimeout(done, 10));
      expect(seats[0].state).toBe('wrap-up');
      expect(span.leakedChannels()).toEqual([]);
      expect(span.counts().idle).toBe(span.channels.length);
      seats[0].wrapDone(); // its wrap-up timer is on the wall clock
    } finally {
      await r.close();
    }
  }, 30_000);

  test('GSM/LTE module: the network rings the SIM with the caller shown, the module answers and a seat takes it', async () => {
    const r = await buildGsmRig({ spans: 1, modems: 2, seed: 5, population: new CalleePopulation({ seed: 5 }), logger: silentLogger });
    try {
      const { seats, distributor } = seatsFor(r.clock);
      const span = r.group.spans[0];
      routeTo(span, r.clock, distributor, 'mobile', { trunkGroup: 'mobile' });
      r.devices[1].ring('13912345678');
      const talking = new Promise<void>((done) => seats[0].onChange((s) => s.state === 'talking' && done()));
      await talking;
      expect(distributor.liveCall('seat1')!.call).toMatchObject({ channel: 2, callerId: '13912345678', state: 'answered' });
      const ended = distributor.liveCall('seat1')!.call.ended;
      r.devices[1].farEndHangsUp();
      await ended;
      await new Promise((done) => setTimeout(done, 50));
      // The customer's hang-up put the seat in wrap-up (free-running time may have finished it already).
      expect(seats[0].history().map((e) => e.to)).toEqual(expect.arrayContaining(['talking', 'wrap-up']));
      expect(seats[0].history().find((e) => e.to === 'wrap-up')!.note).toBe('trunk');
      expect(span.leakedChannels()).toEqual([]);
    } finally {
      await r.close();
    }
  }, 30_000);
});
