import { MockModemRig } from '../../simulator/modem/modem-rig';
import { SimulatedModem } from '../../simulator/modem/simulated-modem';
import { AtModem, AtModemOptions, ModemEvent } from './at-modem';
import { ModemReport } from './at-reports';
import { ModemModel, MODEM_PROFILES } from './modem-profiles';

const MODELS: ModemModel[] = ['quectel-ec2x', 'simcom-sim7600', 'huawei-e1x'];

function setup(model: ModemModel, sim: Partial<ConstructorParameters<typeof SimulatedModem>[1]> = {}, opts: Partial<AtModemOptions> = {}) {
  const rig = new MockModemRig();
  const device = rig.modem('/dev/ttyUSB2', model, sim);
  const modem = new AtModem({
    path: '/dev/ttyUSB2',
    profile: MODEM_PROFILES[model],
    opener: rig.opener,
    clock: rig.clock,
    reopenDelayMs: 1000,
    recheckMs: 2000,
    ...opts,
  });
  const events: ModemEvent[] = [];
  modem.on((e) => events.push(e));
  const reports = () => events.filter((e): e is Extract<ModemEvent, { type: 'report' }> => e.type === 'report').map((e) => e.report);
  const states = () => events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state);
  return { rig, device, modem, events, reports, states };
}

describe.each(MODELS)('AtModem on a simulated %s (mock binding)', (model) => {
  it('opens, checks SIM, registration and signal, and reports the module', async () => {
    const { rig, modem, states } = setup(model);
    modem.start();
    expect(await rig.until(() => modem.state === 'ready', 10000)).toBe(true);
    expect(states()).toEqual(['opening', 'initialising', 'ready']);
    expect(modem.status).toMatchObject({
      state: 'ready',
      imei: '866123456789012',
      iccid: '89860012345678901234',
      operator: 'CHINA MOBILE',
      rssi: 20,
      registration: 'home',
      sim: 'ready',
    });
    await modem.stop();
  });

  it('reports a placed call through dialling, alerting, answer and the far end clearing', async () => {
    const { rig, device, modem, reports } = setup(model);
    rig.population.override('13800138000', { kind: 'answer', ringMs: 2000, talkMs: 3000 });
    modem.start();
    await rig.until(() => modem.state === 'ready');
    await Promise.all([modem.dial('13800138000'), rig.io()]);
    await rig.until(() => reports().some((r) => r.type === 'call' && r.state === 'ended'), 10000);
    const states = reports()
      .filter((r): r is Extract<ModemReport, { type: 'call' }> => r.type === 'call')
      .map((r) => r.state);
    // Every dialect says dialling (or alerting) before active, and ends once the far end clears.
    expect(states[0]).toMatch(/dialing|alerting/);
    expect(states).toContain('active');
    expect(states.indexOf('active')).toBeLessThan(states.lastIndexOf('ended'));
    expect(device.dialled).toEqual(['13800138000']);
    await modem.stop();
  });

  it.each(['NO_SIM', 'NOT_REGISTERED'] as const)(
    'after %s clears, the module is back at once on its own report, not at the next recheck',
    async (fault) => {
      const { rig, device, modem } = setup(model, {}, { recheckMs: 60_000 });
      modem.start();
      await rig.until(() => modem.state === 'ready');
      device.fault(fault);
      expect(await rig.until(() => modem.state === 'not-ready', 1000)).toBe(true);
      await rig.run(3000);
      expect(modem.state).toBe('not-ready');
      device.clearFault(fault); // +CPIN: READY (with the model's own SIM reports) or +CREG: 1,<lac>,<ci>
      const t0 = rig.clock.now();
      expect(await rig.until(() => modem.state === 'ready', 2000, 10)).toBe(true);
      expect(rig.clock.now() - t0).toBeLessThanOrEqual(500);
      await modem.stop();
    },
  );
});

describe('AtModem startup checks and recovery (Quectel dialect)', () => {
  it('unlocks the SIM with the configured PIN; without one it stays not ready and says why', async () => {
    const withPin = setup('quectel-ec2x', { simPin: '1234' }, { simPin: '1234' });
    withPin.modem.start();
    expect(await withPin.rig.until(() => withPin.modem.state === 'ready')).toBe(true);
    await withPin.modem.stop();

    const noPin = setup('quectel-ec2x', { simPin: '1234' });
    noPin.modem.start();
    expect(await noPin.rig.until(() => noPin.modem.state === 'not-ready')).toBe(true);
    expect(noPin.modem.status.reason).toMatch(/SIM PIN required/);
    await noPin.modem.stop();
  });

  it('a number that would smuggle in another AT command is refused before anything is sent', async () => {
    const { rig, device, modem } = setup('quectel-ec2x');
    modem.start();
    await rig.until(() => modem.state === 'ready');
    await expect(modem.dial('10086;+CFUN=0')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await rig.run(500);
    expect(device.dialled).toEqual([]);
    expect(modem.state).toBe('ready');
    await modem.stop();
  });

  it('no SIM: not ready; the SIM put back is found on the next check', async () => {
    const { rig, device, modem } = setup('quectel-ec2x');
    device.fault('NO_SIM');
    modem.start();
    expect(await rig.until(() => modem.state === 'not-ready')).toBe(true);
    expect(modem.status.reason).toBe('no SIM');
    device.clearFault('NO_SIM');
    expect(await rig.until(() => modem.state === 'ready', 5000)).toBe(true);
    await modem.stop();
  });

  it('losing the network while ready takes the module out of service until it registers again', async () => {
    const { rig, device, modem } = setup('quectel-ec2x');
    modem.start();
    await rig.until(() => modem.state === 'ready');
    device.fault('NOT_REGISTERED');
    expect(await rig.until(() => modem.state === 'not-ready', 1000)).toBe(true);
    expect(modem.status.reason).toMatch(/not registered \(searching\)/);
    device.clearFault('NOT_REGISTERED');
    expect(await rig.until(() => modem.state === 'ready', 5000)).toBe(true);
    await modem.stop();
  });

  it('a vanished port is reopened when the device comes back', async () => {
    const { rig, device, modem, states } = setup('simcom-sim7600');
    modem.start();
    await rig.until(() => modem.state === 'ready');
    device.fault('PORT_VANISHES');
    expect(await rig.until(() => modem.state === 'recovering', 500)).toBe(true);
    expect(modem.status.reason).toMatch(/port vanished/);
    await rig.run(2500); // two failed reopen attempts
    device.clearFault('PORT_VANISHES');
    expect(await rig.until(() => modem.state === 'ready', 5000)).toBe(true);
    expect(states().filter((s) => s === 'recovering').length).toBeGreaterThanOrEqual(2);
    await modem.stop();
  });

  it('a port that stays away marks the module out of service, and it still comes back later', async () => {
    const { rig, device, modem } = setup('huawei-e1x', {}, { maxReopenAttempts: 3, outOfServiceRetryMs: 20000 });
    modem.start();
    await rig.until(() => modem.state === 'ready');
    device.fault('PORT_VANISHES');
    expect(await rig.until(() => modem.state === 'out-of-service', 10000)).toBe(true);
    expect(modem.status.reason).toMatch(/after 3 reopen attempts/);
    await expect(modem.dial('13800138000')).rejects.toMatchObject({ code: 'MODEM_UNAVAILABLE', reason: 'out-of-service' });
    await rig.run(5000);
    expect(modem.state).toBe('out-of-service');
    // Its device node is looked for every 500 ms: back well before the next 20 s retry.
    device.clearFault('PORT_VANISHES');
    expect(await rig.until(() => modem.state === 'ready', 2000)).toBe(true);
    await modem.stop();
  });

  it('without a way to look for the device node, a vanished port is still retried on the timers', async () => {
    const { rig, device } = setup('quectel-ec2x');
    const opener = { open: rig.opener.open.bind(rig.opener) };
    const modem = new AtModem({
      path: '/dev/ttyUSB2',
      profile: MODEM_PROFILES['quectel-ec2x'],
      opener,
      clock: rig.clock,
      reopenDelayMs: 1000,
    });
    modem.start();
    await rig.until(() => modem.state === 'ready');
    device.fault('PORT_VANISHES');
    await rig.run(1500);
    device.clearFault('PORT_VANISHES');
    expect(await rig.until(() => modem.state === 'ready', 3000)).toBe(true);
    await modem.stop();
  });

  it('a modem that stops answering is reset with its reset command and reopened', async () => {
    const { rig, device, modem } = setup('quectel-ec2x', { bootMs: 3000 }, { keepaliveMs: 5000, commandTimeoutMs: 1000 });
    modem.start();
    await rig.until(() => modem.state === 'ready');
    device.fault('STOPS_ANSWERING');
    expect(await rig.until(() => modem.state === 'recovering', 30000)).toBe(true);
    expect(modem.status.reason).toMatch(/not answering/);
    // The reset reached the module: it rebooted (its port went away for bootMs) and answers again.
    expect(await rig.until(() => modem.state === 'ready', 30000)).toBe(true);
    expect(device.resets).toBe(1);
    await modem.stop();
  });

  it('garbage on the line is reported as typed errors and the module still comes up', async () => {
    const { rig, device, modem, events } = setup('simcom-sim7600');
    device.fault('GARBAGE');
    modem.start();
    expect(await rig.until(() => modem.state === 'ready', 20000)).toBe(true);
    const invalid = events.filter((e) => e.type === 'invalid').map((e) => (e as Extract<ModemEvent, { type: 'invalid' }>).error.problem);
    expect(invalid).toContain('garbage');
    expect(invalid).toContain('line-too-long');
    await modem.stop();
  });
});
