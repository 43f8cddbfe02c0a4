/**
 * The seat phone's rules in virtual time, with an in-memory phone (the DAHDI one is
 * tested by ear in hil-tests/dahdi-seat-phones.test.ts): ring-all, a pause while
 * ringing, a customer who hangs up while the phones ring, and wrap-up with the handset.
 */
import { Emitter } from '../core/emitter';
import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { AnswerGroup } from './answer-group';
import { Seat } from './seat';
import { SeatPhone } from './seat-answering';
import { NO_ANSWER, RouteResult, SeatDistributor } from './seat-distributor';
import { HANDSET_OFF_HOOK, SeatPhoneAgent } from './seat-phone';

class MemoryPhone implements SeatPhone {
  offHook = false;
  ringing = false;
  readonly tones: string[] = [];
  private readonly hook = new Emitter<[boolean]>();
  private readonly digits = new Emitter<[string]>();
  constructor(readonly name: string) {}
  ring() {
    if (!this.offHook) this.ringing = true;
  }
  stopRinging() {
    this.ringing = false;
  }
  playTone(t: 'confirm' | 'refuse') {
    this.tones.push(t);
  }
  onHook(l: (up: boolean) => void) {
    return this.hook.on(l);
  }
  onDigit(l: (d: string) => void) {
    return this.digits.on(l);
  }
  /** The agent lifts or puts down the handset. */
  set(up: boolean) {
    this.offHook = up;
    if (up) this.ringing = false;
    this.hook.emit(up);
  }
  dial(keys: string) {
    for (const k of keys) this.digits.emit(k);
  }
}

function rig(strategy: 'ring-all' | 'round-robin', n = 3) {
  const trunks = buildVirtualTrunks(testScenario({ lines: 8, talk_sec: { dist: 'fixed', value: 3600 } }), 1);
  const { clock } = trunks;
  const phones = Array.from({ length: n }, (_, i) => new MemoryPhone(`phone ${i + 1}`));
  const seats = phones.map((_, i) => new Seat(`a${i + 1}`, { kind: 'simulated', id: `a${i + 1}` }, { clock, maxWrapSec: 10 }));
  const distributor: SeatDistributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, strategy),
    bridge: new SimulatedMediaBridge(),
    ringSec: 15,
    abandonAfterSec: 60,
    playAbandonMessage: async () => undefined,
  });
  seats.forEach((seat, i) => {
    seat.answering = new SeatPhoneAgent(seat, phones[i], { clock, hangUp: (s) => distributor.hangupFromSeat(s.id) });
    seat.login();
  });
  const answered = async () => {
    const p = trunks.group.dial({ number: '13800000000' });
    await runFor(clock, 3500);
    return (await p).call!;
  };
  return { ...trunks, phones, seats, distributor, answered };
}

describe('seat phones', () => {
  test('ring-all: every ready phone rings, the first lift takes the call, the rest stop and stay ready', async () => {
    const { phones, seats, distributor, answered, clock } = rig('ring-all');
    seats[2].forceBusy('agent: lunch');
    const routing = distributor.route(await answered());
    await runFor(clock, 10);
    expect(phones.map((p) => p.ringing)).toEqual([true, true, false]);
    phones[1].set(true);
    expect(await routing).toMatchObject({ kind: 'connected', seat: seats[1] });
    expect(phones.map((p) => p.ringing)).toEqual([false, false, false]);
    expect(seats.map((s) => s.state)).toEqual(['ready', 'talking', 'paused']);
  });

  test('a seat paused while its phone rings stops ringing, and a late lift does not take the call', async () => {
    const { phones, seats, distributor, answered, clock } = rig('round-robin', 2);
    const routing = distributor.route(await answered());
    await runFor(clock, 10);
    expect(phones[0].ringing).toBe(true);
    seats[0].forceBusy('supervisor');
    expect(phones[0].ringing).toBe(false);
    phones[0].set(true);
    await runFor(clock, 10);
    expect(seats[0].state).toBe('paused');
    // The call goes on to the next seat by the strategy.
    expect(phones[1].ringing).toBe(true);
    phones[1].set(true);
    expect(await routing).toMatchObject({ kind: 'connected', seat: seats[1] });
  });

  test('no answer: not ready with the reason, the call rings the next; every seat missing it leaves the call waiting', async () => {
    const { phones, seats, distributor, answered, clock } = rig('round-robin', 2);
    let result: RouteResult | undefined;
    const call = await answered();
    void distributor.route(call).then((r) => (result = r));
    await runFor(clock, 15_000);
    expect([seats[0].state, seats[0].pauseReason]).toEqual(['paused', NO_ANSWER]);
    expect(phones[1].ringing).toBe(true);
    await runFor(clock, 15_000);
    expect([seats[1].state, seats[1].pauseReason]).toEqual(['paused', NO_ANSWER]);
    expect(result).toBeUndefined(); // waiting for a ready seat, for what is left of its 60 s
    expect(distributor.waitingCount()).toBe(1);
    seats[0].forceReady('back');
    await runFor(clock, 10);
    phones[0].set(true);
    await runFor(clock, 10);
    expect(result).toMatchObject({ kind: 'connected', seat: seats[0] });
  });

  test('a phone that cannot be rung counts as not answering: the seat is not ready, the next one rings', async () => {
    const { phones, seats, distributor, answered, clock } = rig('round-robin', 2);
    phones[0].ring = () => {
      throw new Error('DAHDI_HOOK(ring) failed: EIO');
    };
    const routing = distributor.route(await answered());
    await runFor(clock, 10);
    expect([seats[0].state, seats[0].pauseReason]).toEqual(['paused', NO_ANSWER]);
    expect(phones[1].ringing).toBe(true);
    phones[1].set(true);
    expect(await routing).toMatchObject({ kind: 'connected', seat: seats[1] });
  });

  test('the customer hangs up while the phones ring: they stop, the seats stay ready', async () => {
    const { phones, seats, distributor, answered, clock } = rig('ring-all', 2);
    const call = await answered();
    const routing = distributor.route(call);
    await runFor(clock, 10);
    call.hangup();
    await runFor(clock, 100);
    expect(await routing).toMatchObject({ kind: 'lost' });
    expect(phones.map((p) => p.ringing)).toEqual([false, false]);
    expect(seats.map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  test('hang-up ends the call; wrap-up runs its time on hook; *5 ends it at once; a wrong code is refused', async () => {
    const { phones, seats, distributor, answered, clock } = rig('round-robin', 1);
    const call = await answered();
    const routing = distributor.route(call);
    await runFor(clock, 10);
    phones[0].set(true);
    await routing;
    phones[0].set(false);
    await runFor(clock, 100);
    expect(call.state).toBe('ended');
    expect(seats[0].state).toBe('wrap-up');
    await runFor(clock, 5000);
    expect(seats[0].state).toBe('wrap-up');
    phones[0].set(true);
    phones[0].dial('*5');
    expect(phones[0].tones).toEqual(['confirm']);
    expect([seats[0].state, seats[0].pauseReason]).toEqual(['paused', HANDSET_OFF_HOOK]);
    phones[0].dial('*7');
    expect(phones[0].tones).toEqual(['confirm', 'refuse']);
    phones[0].set(false);
    expect(seats[0].state).toBe('ready');
  });
});
