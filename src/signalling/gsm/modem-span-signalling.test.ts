import { AtModem } from '../../../drivers/modem/at-modem';
import { ModemModel, MODEM_PROFILES } from '../../../drivers/modem/modem-profiles';
import { MockModemRig } from '../../../simulator/modem/modem-rig';
import { SimulatedModem } from '../../../simulator/modem/simulated-modem';
import { Span } from '../../controller/span';
import { TrunkGroup, DialResult } from '../../controller/trunk-group';
import { TrunkCall } from '../../controller/trunk-call';
import { ModemCallReport, ModemSpanSignalling, ModemTrunkOptions } from './modem-span-signalling';

const MODELS: ModemModel[] = ['quectel-ec2x', 'simcom-sim7600', 'huawei-e1x'];

async function trunk(models: ModemModel[], opts: Partial<ModemTrunkOptions> = {}) {
  const rig = new MockModemRig(7);
  const devices: SimulatedModem[] = [];
  const modems = models.map((model, i) => {
    const path = `/dev/ttyUSB${i * 4 + 2}`;
    devices.push(rig.modem(path, model, { imei: `86612345678901${i}` }));
    return new AtModem({
      path,
      profile: MODEM_PROFILES[model],
      opener: rig.opener,
      clock: rig.clock,
      reopenDelayMs: 1000,
      recheckMs: 2000,
    });
  });
  const signalling = new ModemSpanSignalling(modems, { clock: rig.clock, ...opts });
  const span = new Span(1, signalling, { clock: rig.clock });
  const group = new TrunkGroup([span], { clock: rig.clock, defaultRingTimeoutSec: 20 });
  for (const m of modems) m.start();
  expect(await rig.until(() => span.idleCount() === models.length, 10000)).toBe(true);
  const dial = async (number: string, extra: Partial<Parameters<TrunkGroup['dial']>[0]> = {}): Promise<DialResult> => {
    let result: DialResult | undefined;
    void group.dial({ number, ...extra }).then((r) => (result = r));
    await rig.until(() => result !== undefined, 120000);
    return result!;
  };
  const hangupAndWait = async (call: TrunkCall) => {
    call.hangup();
    let done = false;
    void call.ended.then(() => (done = true));
    await rig.until(() => done, 10000);
  };
  return { rig, devices, modems, signalling, span, group, dial, hangupAndWait };
}

describe.each(MODELS)('modem trunk on a simulated %s', (model) => {
  it.each([
    ['busy', 'busy', 17],
    ['unallocated', 'unallocated', 1],
    ['congestion', 'congestion', 34],
    ['absent', 'absent', 20],
  ] as const)('a %s callee ends as %s with cause %d', async (kind, outcome, cause) => {
    const t = await trunk([model]);
    t.rig.population.override('13800138000', kind);
    const r = await t.dial('13800138000');
    expect(r).toMatchObject({ outcome, cause });
    expect(t.span.leakedChannels()).toEqual([]);
    expect(t.span.idleCount()).toBe(1);
    await t.signalling.close();
  });

  it('an unanswered call is hung up by the ring timer (no answer, cause 19) and the module is free again', async () => {
    const t = await trunk([model]);
    t.rig.population.override('13800138000', 'no_answer');
    const r = await t.dial('13800138000', { ringTimeoutSec: 5 });
    expect(r).toMatchObject({ outcome: 'no_answer', cause: 19 });
    expect(t.devices[0].inCall).toBe(false);
    expect(t.span.idleCount()).toBe(1);
    await t.signalling.close();
  });

  it('an answered call is live until we hang up, and the module is free again after', async () => {
    const t = await trunk([model]);
    t.rig.population.override('13800138000', { kind: 'answer', ringMs: 1500, talkMs: 600000 });
    const r = await t.dial('13800138000');
    expect(r.outcome).toBe('answered');
    expect(t.span.counts().connected).toBe(1);
    await t.hangupAndWait(r.call!);
    expect(t.devices[0].inCall).toBe(false);
    expect(t.span.idleCount()).toBe(1);
    expect(t.span.leakedChannels()).toEqual([]);
    await t.signalling.close();
  });
});

describe('modem trunk behaviour (mixed models)', () => {
  it('a trunk group mixing modems uses all of them, then says no free channel', async () => {
    const t = await trunk(['quectel-ec2x', 'simcom-sim7600']);
    t.rig.population.override('13800138001', { kind: 'answer', ringMs: 500, talkMs: 600000 });
    t.rig.population.override('13800138002', { kind: 'answer', ringMs: 500, talkMs: 600000 });
    const [a, b] = await Promise.all([t.dial('13800138001'), t.dial('13800138002')]);
    expect([a.outcome, b.outcome]).toEqual(['answered', 'answered']);
    expect(new Set([a.channel, b.channel])).toEqual(new Set([1, 2]));
    expect(await t.dial('13800138003')).toMatchObject({ outcome: 'no_free_channel' });
    await t.hangupAndWait(a.call!);
    await t.hangupAndWait(b.call!);
    await t.signalling.close();
  });

  it('withholds the caller ID when the campaign asks (ATD<number>I;)', async () => {
    const t = await trunk(['quectel-ec2x']);
    t.rig.population.override('13800138000', 'busy');
    await t.dial('13800138000', { withholdCallerId: true });
    await t.dial('13800138000');
    expect(t.devices[0].withheld).toEqual([true, false]);
    await t.signalling.close();
  });

  it.each(MODELS)("offers an incoming call with the caller's number and answers it (%s)", async (model) => {
    const t = await trunk([model]);
    let offered: TrunkCall | undefined;
    t.span.onIncoming = (call) => {
      offered = call;
      t.span.accept(call);
    };
    t.devices[0].ring('13900139000');
    expect(await t.rig.until(() => offered !== undefined, 5000)).toBe(true);
    expect(offered!.callerId).toBe('13900139000');
    expect(await t.rig.until(() => t.span.counts().connected === 1, 5000)).toBe(true);
    t.devices[0].farEndHangsUp();
    let ended = false;
    void offered!.ended.then(() => (ended = true));
    expect(await t.rig.until(() => ended, 5000)).toBe(true);
    expect(t.span.idleCount()).toBe(1);
    await t.signalling.close();
  });

  it("sends DTMF on an answered call and reports the far end's keys", async () => {
    const t = await trunk(['quectel-ec2x']);
    t.rig.population.override('13800138000', { kind: 'answer', ringMs: 500, talkMs: 600000 });
    const keys: ModemCallReport[] = [];
    t.signalling.onReport((r) => keys.push(r));
    const r = await t.dial('13800138000');
    await Promise.all([t.signalling.sendDtmf(r.call!.token, '12#'), t.rig.run(500)]);
    t.devices[0].pressKey('5');
    await t.rig.run(100);
    expect(keys).toEqual([expect.objectContaining({ type: 'dtmf', digit: '5', channel: 1 })]);
    await t.hangupAndWait(r.call!);
    await t.signalling.close();
  });

  it('a module unplugged mid-call ends the call as a fault, goes out of service with no leak, and returns when plugged back', async () => {
    const t = await trunk(['quectel-ec2x', 'huawei-e1x']);
    t.rig.population.override('13800138000', { kind: 'answer', ringMs: 500, talkMs: 600000 });
    const r = await t.dial('13800138000');
    const unplugged = t.devices[r.channel! - 1];
    let release: { cause: number; by: string } | undefined;
    void r.call!.ended.then((e) => (release = e));
    unplugged.fault('PORT_VANISHES');
    expect(await t.rig.until(() => release !== undefined, 2000)).toBe(true);
    expect(release).toMatchObject({ by: 'fault' });
    expect(t.span.channel(r.channel!)!.state).toBe('out-of-service');
    expect(t.span.leakedChannels()).toEqual([]);
    expect(t.span.idleCount()).toBe(1); // the other module still dials
    unplugged.clearFault('PORT_VANISHES');
    expect(await t.rig.until(() => t.span.idleCount() === 2, 10000)).toBe(true);
    await t.signalling.close();
  });

  it('holds each SIM to its daily call cap, and the module is back the next day', async () => {
    const t = await trunk(['quectel-ec2x'], { dailyCallCap: 2 });
    t.rig.population.override('13800138000', 'busy');
    expect((await t.dial('13800138000')).outcome).toBe('busy');
    expect((await t.dial('13800138000')).outcome).toBe('busy');
    expect(t.signalling.callsToday(1)).toEqual({ calls: 2, cap: 2 });
    expect(await t.dial('13800138000')).toMatchObject({ outcome: 'link_down' });
    expect(t.devices[0].dialled).toHaveLength(2);
    await t.rig.run(24 * 3600 * 1000, 3600 * 1000);
    expect(await t.rig.until(() => t.span.idleCount() === 1, 5000)).toBe(true);
    expect((await t.dial('13800138000')).outcome).toBe('busy');
    expect(t.signalling.callsToday(1)).toEqual({ calls: 1, cap: 2 });
    await t.signalling.close();
  });

  it('a trunk closed while a SIM is capped leaves no timer behind (the gateway process can exit)', async () => {
    const t = await trunk(['quectel-ec2x'], { dailyCallCap: 1 });
    t.rig.population.override('13800138000', 'busy');
    expect((await t.dial('13800138000')).outcome).toBe('busy');
    expect(t.signalling.callsToday(1)).toEqual({ calls: 1, cap: 1 });
    expect(t.span.idleCount()).toBe(0);
    await t.signalling.close();
    await t.rig.run(3600 * 1000, 60 * 1000);
    // Before the fix the cap's next-day timer stayed armed: `trunkpilot run` hung after SIGTERM until the cap day rolled over.
    expect(t.rig.clock.nextDeadline()).toBeUndefined();
  });
  it.each([
    ['registered', 'other', 16],
    ['unregistered', 'link_down', 38],
  ] as const)('a NO CARRIER before any dialling report, the module %s: ends as %s (cause %d)', async (reg, outcome, cause) => {
    const t = await trunk(['quectel-ec2x']);
    t.rig.population.override('13800138000', 'no_answer');
    const device = t.devices[0];
    // The module accepts ATD, then prints NO CARRIER before it reports any dialling;
    // unregistered, its network went away without a +CREG report.
    const off = device.device.on((bytes) => {
      if (!Buffer.from(bytes).toString('latin1').startsWith('ATD')) return;
      off();
      if (reg === 'unregistered') {
        device.fault('STOPS_ANSWERING');
        device.fault('NOT_REGISTERED');
        device.clearFault('STOPS_ANSWERING');
      }
      device.device.write('\r\nNO CARRIER\r\n');
    });
    const r = await t.dial('13800138000');
    // Registered: the module's own cause (AT+CEER) stands; unregistered: out of service, the number retried later.
    expect(r).toMatchObject({ outcome, cause });
    expect(t.modems[0].state).toBe(reg === 'registered' ? 'ready' : 'not-ready');
    expect(t.span.leakedChannels()).toEqual([]);
    await t.signalling.close();
  });
});
