/**
 * The controller's calls over China TUP: our MTP2/MTP3/TUP on TS16 against an
 * exchange built from the same engines in the network role, in memory.
 */
import { CalleePopulation } from '../simulator/callee-population';
import { buildNo7Rig, No7Rig } from '../simulator/ss7/no7-rig';
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { SignallingEvent } from '../src/signalling/span-signalling';
import { until } from './pri-harness';

describe('China TUP through the controller', () => {
  let r: No7Rig;
  afterEach(async () => {
    await r?.close();
  });
  const rig = () =>
    buildNo7Rig({
      kind: 'ss7-tup',
      spans: 1,
      seed: 8,
      population: new CalleePopulation({ seed: 8 }),
      logger: silentLogger,
      noAnswerMs: 1000,
    });

  test('outbound: IAI with the CLI, ACM, ANC; backward failure signals map to Q.850 outcomes; CLF/RLG leave nothing behind', async () => {
    r = await rig();
    const far: SignallingEvent[] = [];
    r.spans[0].exchange.signalling.onEvent((e) => far.push(e));
    const kinds = { '13900000001': 'busy', '13900000002': 'unallocated', '13900000003': 'congestion', '13900000004': 'absent' } as const;
    for (const [n, k] of Object.entries(kinds)) r.population.override(n, k);
    r.population.override('13900000005', { kind: 'answer', ringMs: 30, talkMs: 60_000 });
    const results = await Promise.all(
      [...Object.keys(kinds), '13900000005'].map((number) => r.group.dial({ number, callerId: '01012345678' })),
    );
    expect(results.map((x) => x.outcome)).toEqual(['busy', 'unallocated', 'congestion', 'absent', 'answered']);
    expect(results.slice(0, 4).map((x) => x.cause)).toEqual([
      Q850.USER_BUSY,
      Q850.UNALLOCATED,
      Q850.SWITCH_CONGESTION,
      Q850.SUBSCRIBER_ABSENT,
    ]);
    expect(far.find((e) => e.type === 'offered' && e.number === '13900000005')).toMatchObject({ callerId: '01012345678' });
    const call = results[4].call!;
    call.hangup();
    await expect(call.ended).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING });
    await until(() => r.group.idleChannels() === 30 && r.heldCalls() === 0);
  });

  test('the callee clears first: CBK ends the answered call as a remote clear', async () => {
    r = await rig();
    r.population.override('555', { kind: 'answer', ringMs: 10, talkMs: 100 });
    const res = await r.group.dial({ number: '555' });
    expect(res.outcome).toBe('answered');
    await expect(res.call!.ended).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'remote' });
    await until(() => r.group.idleChannels() === 30 && r.heldCalls() === 0);
  });

  test("inbound: the exchange's IAI is offered with its numbers; a refused call goes back as SLB", async () => {
    r = await rig();
    const span = r.spans[0];
    const offered: string[] = [];
    span.span.onIncoming = (call) => {
      offered.push(`${call.number}/${call.callerId}`);
      call.hangup(Q850.USER_BUSY);
    };
    const far: SignallingEvent[] = [];
    span.exchange.signalling.onEvent((e) => far.push(e));
    span.exchange.signalling.setup(2, { number: '4006001234', callerId: '13512345678' });
    await until(() => far.some((e) => e.type === 'released'));
    expect(offered).toEqual(['4006001234/13512345678']);
    expect(far.find((e) => e.type === 'released')).toMatchObject({ cause: Q850.USER_BUSY, by: 'remote' });
    await until(() => r.group.idleChannels() === 30 && r.heldCalls() === 0);
  });

  test('link loss clears calls as a fault and the circuits return after realignment and GRS', async () => {
    r = await rig();
    r.population.override('700', { kind: 'answer', ringMs: 10, talkMs: 60_000 });
    const res = await r.group.dial({ number: '700' });
    r.injectFault('LINK_FAILURE');
    await expect(res.call!.ended).resolves.toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' });
    r.injectFault('LINK_FAILURE', { clear: true });
    expect(await r.group.whenReady(10_000)).toBe(true);
    await until(() => r.group.idleChannels() === 30);
    r.population.override('701', 'busy');
    expect((await r.group.dial({ number: '701' })).cause).toBe(Q850.USER_BUSY);
  });
});
