/**
 * A GSM module the site file does not list, plugged in while the trunks are up: by default
 * it is not used and is reported as unassigned; with modemHotplug.adoptUnknown it joins the
 * named trunk group live. The USB bus is the fake, sysfs the fixture tree (the SIMCom at
 * 1-2: AT port ttyUSB6, voice ttyUSB8), the modules simulated on the mock serial binding.
 */
import { join } from 'node:path';
import { loadProfiles } from '../provisioning/board-profile';
import { siteFromSource } from '../provisioning/site-config';
import { YamlSource } from '../provisioning/yaml-source';
import { MockModemRig } from '../../simulator/modem/modem-rig';
import { FakeUsbPort } from '../../simulator/usb/fake-usb-port';
import { openSiteTrunks } from './site-trunks';

const ROOT = join(__dirname, '..', '..');
const USB_FIXTURE = join(ROOT, 'hil-tests', 'fixtures', 'sysfs', 'usb-gateways');
const profiles = loadProfiles();
const QUECTEL = { vendorId: 0x2c7c, productId: 0x0125, serialNumber: 'EC25AFFD0123' };
const SIMCOM = { vendorId: 0x1e0e, productId: 0x9001, serialNumber: 'SIM7600G0456' };

async function rigFor(hotplug: string) {
  const loaded = siteFromSource(
    YamlSource.fromText(
      [
        'version: 1',
        'site: t',
        'boards: []',
        'modems:',
        '  - { id: gsm1, profile: quectel-ec25, usbSerial: EC25AFFD0123, trunkGroup: mobile }',
        hotplug,
        '',
      ].join('\n'),
      'sites/t.yaml',
    ),
    profiles,
  );
  const rig = new MockModemRig(3);
  const quectel = rig.modem('/dev/ttyUSB2', 'quectel-ec2x');
  const simcom = rig.modem('/dev/ttyUSB6', 'simcom-sim7600', { voice: rig.wire.device('/dev/ttyUSB8') });
  const usb = new FakeUsbPort([QUECTEL]);
  const trunks = await openSiteTrunks(loaded, { clock: rig.clock, modems: { serialOpener: rig.opener, sysRoot: USB_FIXTURE, usb } });
  const group = trunks.group('mobile');
  expect(await rig.until(() => group.idleChannels() === 1, 20000)).toBe(true);
  return { rig, usb, trunks, group, quectel, simcom };
}

test('by default an unknown module is not used: reported as unassigned while plugged in', async () => {
  const { rig, usb, trunks, group, simcom } = await rigFor('');
  let atBytes = 0;
  simcom.device.on((b) => (atBytes += b.length));
  try {
    usb.plug(SIMCOM);
    await rig.run(5000);
    expect(trunks.unassignedModems()).toEqual([
      {
        vendorId: '1e0e',
        productId: '9001',
        serialNumber: 'SIM7600G0456',
        model: 'simcom-sim7600',
        atPort: '/dev/ttyUSB6',
        pluggedAt: expect.any(Number),
      },
    ]);
    expect(group.spans).toHaveLength(1);
    expect(trunks.spans).toHaveLength(1);
    expect(atBytes).toBe(0); // nobody opened its AT port
    // The site's own module coming back after a replug is not "unknown".
    usb.unplug({ serialNumber: QUECTEL.serialNumber });
    usb.plug(QUECTEL);
    usb.unplug({ serialNumber: SIMCOM.serialNumber });
    await rig.run(1000);
    expect(trunks.unassignedModems()).toEqual([]);
  } finally {
    await trunks.close();
  }
});

test('with adoptUnknown the module joins the named trunk group live, is dialled, and follows its own unplug', async () => {
  const { rig, usb, trunks, group, simcom } = await rigFor('modemHotplug: { adoptUnknown: true, trunkGroup: mobile, dailyCallCap: 40 }');
  try {
    usb.plug(SIMCOM);
    expect(await rig.until(() => group.idleChannels() === 2, 20000)).toBe(true);
    expect(trunks.unassignedModems()).toEqual([]);
    expect(group.spans).toHaveLength(2);
    const adopted = trunks.modemGroups[1];
    expect(trunks.spans.map((s) => s.id)).toEqual([1, 2]);
    expect(adopted.signalling.callsToday(1)).toEqual({ calls: 0, cap: 40 });
    expect(adopted.signalling.voicePort(1)?.name).toBe('/dev/ttyUSB8');
    // The group dials from its last span down: the adopted module takes the first call.
    rig.population.override('13800138000', 'busy');
    let r: Awaited<ReturnType<typeof group.dial>> | undefined;
    void group.dial({ number: '13800138000' }).then((x) => (r = x));
    expect(await rig.until(() => r !== undefined, 20000)).toBe(true);
    expect(r).toMatchObject({ outcome: 'busy', span: 2 });
    expect(simcom.dialled).toEqual(['13800138000']);
    expect(adopted.signalling.callsToday(1)).toEqual({ calls: 1, cap: 40 });
    // Unplugged: out of service at once; plugged back: in service again, same span.
    usb.unplug({ serialNumber: SIMCOM.serialNumber });
    await rig.run(100);
    expect(group.idleChannels()).toBe(1);
    usb.plug(SIMCOM);
    expect(await rig.until(() => group.idleChannels() === 2, 20000)).toBe(true);
    expect(group.spans).toHaveLength(2);
    expect(group.leakedChannels()).toEqual([]);
  } finally {
    await trunks.close();
  }
});
