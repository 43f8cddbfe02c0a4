/**
 * The modem driver through serialport's real native binding, on a pseudo-terminal with a
 * simulated module at the other end (what a USB modem's ttyUSB port looks like to us).
 * Wall-clock time, short network timers.
 */
import { AtModem } from '../drivers/modem/at-modem';
import { MODEM_PROFILES, ModemModel } from '../drivers/modem/modem-profiles';
import { queryModemIdentity } from '../drivers/modem/modem-identity';
import { BindingSerialLineOpener } from '../drivers/serial/binding-serial-line';
import { systemClock } from '../src/core/clock';
import { Span } from '../src/controller/span';
import { TrunkGroup } from '../src/controller/trunk-group';
import { ModemSpanSignalling } from '../src/signalling/gsm/modem-span-signalling';
import { CalleePopulation } from '../simulator/callee-population';
import { PseudoTerminalDevice } from '../simulator/modem/pseudo-terminal';
import { SimulatedModem } from '../simulator/modem/simulated-modem';

async function waitFor(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(['quectel-ec2x', 'huawei-e1x'] as ModemModel[])('modem trunk on a pty through the native serial binding (%s)', (model) => {
  let pty: PseudoTerminalDevice;
  let signalling: ModemSpanSignalling;
  let device: SimulatedModem;
  let modem: AtModem;
  let population: CalleePopulation;

  beforeEach(() => {
    pty = PseudoTerminalDevice.open('ttyUSB2');
    population = new CalleePopulation({ seed: 3 });
    device = new SimulatedModem(pty, { model, clock: systemClock, population, setupMs: 20, alertMs: 50, bootMs: 200 });
    modem = new AtModem({
      path: pty.path,
      profile: MODEM_PROFILES[model],
      opener: new BindingSerialLineOpener(),
      clock: systemClock,
      reopenDelayMs: 100,
      commandTimeoutMs: 1000,
    });
    signalling = new ModemSpanSignalling([modem], { clock: systemClock });
  });

  afterEach(async () => {
    await signalling.close();
    await pty.close();
  });

  it('answers who it is over the native binding (trunkpilot detect --query-modems)', async () => {
    const id = await queryModemIdentity(new BindingSerialLineOpener(), pty.path);
    expect(id).toMatchObject({ imei: '866123456789012', sim: 'ready', model: model === 'quectel-ec2x' ? 'EC25' : 'E1550' });
  });

  it('comes up, places calls with the right outcomes, and survives the port vanishing', async () => {
    const span = new Span(1, signalling, { clock: systemClock });
    const group = new TrunkGroup([span], { clock: systemClock });
    modem.start();
    await waitFor('the module in service', () => span.idleCount() === 1);
    expect(modem.status).toMatchObject({ imei: '866123456789012', registration: 'home', sim: 'ready' });

    population.override('13800138000', 'busy');
    expect(await group.dial({ number: '13800138000' })).toMatchObject({ outcome: 'busy', cause: 17 });
    population.override('13800138001', { kind: 'answer', ringMs: 100, talkMs: 60000 });
    const answered = await group.dial({ number: '13800138001' });
    expect(answered.outcome).toBe('answered');
    answered.call!.hangup();
    await answered.call!.ended;

    device.fault('PORT_VANISHES');
    await waitFor('the channel out of service', () => span.counts()['out-of-service'] === 1);
    device.clearFault('PORT_VANISHES');
    await waitFor('the module back in service', () => span.idleCount() === 1);
    expect(span.leakedChannels()).toEqual([]);
  });

  it('a port away long enough to go out of service is opened again as soon as its node is back', async () => {
    const patient = new AtModem({
      path: pty.path,
      profile: MODEM_PROFILES[model],
      opener: new BindingSerialLineOpener(),
      clock: systemClock,
      reopenDelayMs: 100,
      maxReopenAttempts: 2,
      outOfServiceRetryMs: 600_000,
    });
    await signalling.close(); // the default module's trunk, never started
    signalling = new ModemSpanSignalling([patient], { clock: systemClock });
    const span = new Span(1, signalling, { clock: systemClock });
    patient.start();
    await waitFor('the module in service', () => span.idleCount() === 1);
    device.fault('PORT_VANISHES'); // the pty's symlink goes, as a udev name does
    await waitFor('the module out of service', () => patient.state === 'out-of-service');
    device.clearFault('PORT_VANISHES');
    // The 10-minute retry is far off: only the stat of its path every 500 ms brings it back.
    await waitFor('the module back in service', () => span.idleCount() === 1, 10_000);
    expect(span.leakedChannels()).toEqual([]);
  });
});
