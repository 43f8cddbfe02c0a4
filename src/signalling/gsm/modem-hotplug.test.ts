import { AtModem } from '../../../drivers/modem/at-modem';
import { MODEM_PROFILES } from '../../../drivers/modem/modem-profiles';
import { MockModemRig } from '../../../simulator/modem/modem-rig';
import { FakeUsbPort } from '../../../simulator/usb/fake-usb-port';
import { Span } from '../../controller/span';
import { HotplugNotice, watchModemHotplug } from './modem-hotplug';
import { ModemSpanSignalling } from './modem-span-signalling';

describe('USB hot-plug and modem trunks', () => {
  it('a module unplugged mid-call is out of service at once with its call ended, and back once plugged in', async () => {
    const rig = new MockModemRig();
    const quectel = { vendorId: 0x2c7c, productId: 0x0125, serialNumber: 'EC25A' };
    const simcom = { vendorId: 0x1e0e, productId: 0x9001, serialNumber: 'SIM76B' };
    const usb = new FakeUsbPort([quectel, simcom]);
    const devices = [rig.modem('/dev/ttyUSB2', 'quectel-ec2x'), rig.modem('/dev/ttyUSB6', 'simcom-sim7600')];
    const modems = [
      new AtModem({
        path: '/dev/ttyUSB2',
        profile: MODEM_PROFILES['quectel-ec2x'],
        opener: rig.opener,
        clock: rig.clock,
        reopenDelayMs: 1000,
      }),
      new AtModem({
        path: '/dev/ttyUSB6',
        profile: MODEM_PROFILES['simcom-sim7600'],
        opener: rig.opener,
        clock: rig.clock,
        reopenDelayMs: 1000,
      }),
    ];
    const signalling = new ModemSpanSignalling(modems, { clock: rig.clock });
    const span = new Span(1, signalling, { clock: rig.clock });
    const notices: HotplugNotice[] = [];
    const stop = watchModemHotplug(
      usb,
      [
        { modem: modems[0], usbSerial: 'EC25A' },
        { modem: modems[1], usbSerial: 'SIM76B' },
      ],
      { onNotice: (n) => notices.push(n) },
    );
    modems.forEach((m) => m.start());
    expect(await rig.until(() => span.idleCount() === 2)).toBe(true);

    rig.population.override('13800138000', { kind: 'answer', ringMs: 500, talkMs: 600000 });
    const call = span.placeCall(span.channel(2)!, { number: '13800138000' });
    expect(await rig.until(() => call.state === 'answered', 5000)).toBe(true);

    // USB says the SIMCom is gone: that alone takes it out, before its tty says anything.
    usb.unplug({ serialNumber: 'SIM76B' });
    let ended: { by: string } | undefined;
    void call.ended.then((e) => (ended = e));
    await rig.run(100);
    expect(ended).toMatchObject({ by: 'fault' });
    await devices[1].device.vanish();
    expect(span.channel(2)!.state).toBe('out-of-service');
    expect(modems[1].status.reason).toBe('USB device detached');
    // No reopen attempts while it is away: it does not drift to out-of-service.
    await rig.run(60000, 1000);
    expect(modems[1].state).toBe('recovering');
    expect(span.idleCount()).toBe(1);

    await devices[1].device.reappear();
    usb.plug(simcom);
    // Opened as soon as its tty is there (looked for every 500 ms), not after the 1 s reopen delay.
    expect(await rig.until(() => span.idleCount() === 2, 800)).toBe(true);
    expect(notices.map((n) => [n.type, n.path])).toEqual([
      ['detached', '/dev/ttyUSB6'],
      ['attached', '/dev/ttyUSB6'],
    ]);
    expect(span.leakedChannels()).toEqual([]);
    stop();
    await signalling.close();
  });
});
