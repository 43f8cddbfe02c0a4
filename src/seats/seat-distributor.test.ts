import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { TrunkCall } from '../controller/trunk-call';
import { AnswerGroup } from './answer-group';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { Seat } from './seat';
import { SeatDistributor } from './seat-distributor';
import { Supervisor } from './supervisor';

/** Two seats, an answer group, a distributor and trunks where every callee answers after 3 s. */
function rig(seatCount = 2) {
  const trunks = buildVirtualTrunks(testScenario(), 1);
  const { clock } = trunks;
  const seats = Array.from(
    { length: seatCount },
    (_, i) => new Seat(`a${i + 1}`, { kind: 'simulated', id: `a${i + 1}` }, { clock, maxWrapSec: 20 }),
  );
  seats.forEach((s) => s.login());
  const bridge = new SimulatedMediaBridge();
  const messages: string[] = [];
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, 'round-robin'),
    bridge,
    abandonAfterSec: 2,
    playAbandonMessage: (call) => {
      messages.push(call.id);
      return new Promise((r) => clock.setTimer(8000, r));
    },
  });
  const answered = async (): Promise<TrunkCall> => {
    const p = trunks.group.dial({ number: '13800000000' });
    await runFor(clock, 3500);
    const r = await p;
    expect(r.outcome).toBe('answered');
    return r.call!;
  };
  return { ...trunks, seats, bridge, messages, distributor, answered };
}

describe('SeatDistributor', () => {
  test('an answered call is bridged to a ready seat; the agent hanging up clears the trunk and starts wrap-up', async () => {
    const r = rig();
    const call = await r.answered();
    const routed = await r.distributor.route(call);
    expect(routed).toMatchObject({ kind: 'connected', waitMs: 0 });
    expect(r.seats[0].state).toBe('talking');
    expect(
      r.bridge
        .conferenceFor(call.id)
        ?.participants()
        .map((p) => p.endpoint),
    ).toEqual([{ kind: 'simulated', id: 'a1' }]);
    r.distributor.hangupFromSeat('a1');
    expect(r.seats[0].state).toBe('wrap-up');
    await runFor(r.clock, 100);
    expect(call.state).toBe('ended');
    expect(r.bridge.openCount()).toBe(0);
    expect(r.group.idleChannels()).toBe(4);
  });

  test('a call that finds no seat within 2 s hears the message, is hung up and counted abandoned', async () => {
    const r = rig(1);
    r.seats[0].forceBusy();
    const events: string[] = [];
    r.distributor.onEvent((e) => events.push(e.type));
    const call = await r.answered();
    const routed = r.distributor.route(call);
    expect(r.distributor.waitingCount()).toBe(1);
    await runFor(r.clock, 2000);
    expect(events).toEqual(['abandoned']);
    expect(r.messages).toEqual([call.id]);
    expect(call.state).toBe('answered'); // the message is playing
    await runFor(r.clock, 8100);
    expect(await routed).toEqual({ kind: 'abandoned', waitMs: 2000 });
    expect(call.state).toBe('ended');
    expect(r.seats[0].state).toBe('paused');
  });

  test('a seat freed within the 2 s takes the waiting call', async () => {
    const r = rig(1);
    r.seats[0].forceBusy();
    const call = await r.answered();
    const routed = r.distributor.route(call);
    await runFor(r.clock, 1500);
    r.seats[0].forceReady();
    expect(await routed).toMatchObject({ kind: 'connected', waitMs: 1500 });
    expect(r.messages).toEqual([]);
  });

  test('a trunk fault during the conversation sends the seat to wrap-up and then ready: it never sticks', async () => {
    const r = rig(1);
    const call = await r.answered();
    await r.distributor.route(call);
    const talk: string[] = [];
    r.distributor.onEvent((e) => {
      if (e.type === 'talk-ended') talk.push(e.by);
    });
    r.network.spans[0].linkDown('LOS');
    await runFor(r.clock, 10);
    expect(talk).toEqual(['fault']);
    expect(r.seats[0].state).toBe('wrap-up');
    expect(r.bridge.openCount()).toBe(0);
    await runFor(r.clock, 20_000);
    expect(r.seats[0].state).toBe('ready');
    expect(r.group.leakedChannels()).toEqual([]);
  });

  test('supervisor: listen, barge in, transfer and force release', async () => {
    const r = rig(2);
    const sup = new Supervisor(r.distributor, { kind: 'fxs', span: 9, channel: 1 });
    const call = await r.answered();
    await r.distributor.route(call);
    const conf = r.bridge.conferenceFor(call.id)!;
    await sup.listen('a1');
    expect(conf.participants().find((p) => p.endpoint.kind === 'fxs')?.mode).toBe('listen');
    await sup.bargeIn('a1');
    expect(conf.participants().find((p) => p.endpoint.kind === 'fxs')?.mode).toBe('talk');
    await sup.leave('a1');

    await sup.transfer('a1', r.seats[1]);
    expect(r.seats[0].state).toBe('wrap-up');
    expect(r.seats[1].state).toBe('talking');
    expect(conf.participants().map((p) => p.endpoint)).toEqual([{ kind: 'simulated', id: 'a2' }]);

    sup.forceRelease('a2');
    expect(r.seats[1].state).toBe('wrap-up');
    await runFor(r.clock, 100);
    expect(call.state).toBe('ended');
    expect(() => sup.forceRelease('a2')).toThrow(/has no live call/);
  });
});

describe('SeatDistributor: the agent-number announcement', () => {
  test('is played to the customer after the seat is found and before the bridge; a hang-up during it frees the seat', async () => {
    const r = rig();
    const order: string[] = [];
    const announced: string[] = [];
    let hangUpDuring = false;
    const distributor = new SeatDistributor({
      clock: r.clock,
      group: new AnswerGroup('g2', r.seats, 'round-robin'),
      bridge: {
        bridge: async (leg, seat) => {
          order.push('bridge');
          return r.bridge.bridge(leg, seat);
        },
      },
      abandonAfterSec: 2,
      playAbandonMessage: async () => undefined,
      announceSeat: async (call, seat) => {
        order.push('announce');
        announced.push(seat.id);
        if (hangUpDuring) call.hangup();
        await new Promise<void>((res) => r.clock.setTimer(1500, res));
      },
    });
    const first = await r.answered();
    const routed = distributor.route(first);
    await runFor(r.clock, 2000);
    expect(await routed).toMatchObject({ kind: 'connected' });
    expect(order).toEqual(['announce', 'bridge']);
    hangUpDuring = true;
    const second = await r.answered();
    const lost = distributor.route(second);
    await runFor(r.clock, 2000);
    expect(await lost).toMatchObject({ kind: 'lost' });
    expect(announced).toEqual(['a1', 'a2']);
    expect(r.seats[1].state).toBe('ready');
  });
});
