import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebUsbPort } from '../../drivers/usb/webusb-port';
import { FakeWebUsb } from '../../simulator/usb/fake-webusb';
import { FakeUsbPort } from '../../simulator/usb/fake-usb-port';
import { loadProfiles } from '../provisioning/board-profile';
import { matchUsbDevices } from '../provisioning/board-matcher';
import { readUsbSysfs, SysfsUsbPort } from './sysfs-usb';
import { classifyUsbDevice, discoverUsbTelephony } from './usb-telephony';

const FIXTURE = join(__dirname, '..', '..', 'hil-tests', 'fixtures', 'sysfs', 'usb-gateways');
const profiles = [...loadProfiles().values()].map((l) => l.profile);

describe('USB telephony discovery', () => {
  it('finds modems with their AT and voice ports, and Astribanks with their firmware state, from node-usb devices and sysfs', async () => {
    // What node-usb would list on that machine (no ttys: those come from sysfs).
    const usb = new FakeUsbPort([
      { vendorId: 0x2c7c, productId: 0x0125, serialNumber: 'EC25AFFD0123', manufacturer: 'Quectel', product: 'EC25-AF' },
      { vendorId: 0x046d, productId: 0xc077, manufacturer: 'Logitech', product: 'USB Optical Mouse' },
      { vendorId: 0x12d1, productId: 0x1001 },
      { vendorId: 0xe4e4, productId: 0x1150, serialNumber: 'LAB-0002' },
      { vendorId: 0xe4e4, productId: 0x1152, serialNumber: 'LAB-0001' },
    ]);
    const { devices, warnings } = await discoverUsbTelephony({ usb, sysRoot: FIXTURE });
    expect(warnings).toEqual([]);
    expect(devices.map((d) => [d.id, d.kind, d.sysName])).toEqual([
      ['2c7c:0125', 'gsm-modem', '1-1'],
      ['12d1:1001', 'gsm-modem', '1-3'],
      ['e4e4:1150', 'astribank', '1-4'],
      ['e4e4:1152', 'astribank', '2-1'],
    ]);
    expect(devices[0].modem).toMatchObject({ model: 'quectel-ec2x', atPort: '/dev/ttyUSB2', voicePort: undefined });
    expect(devices[1].modem).toMatchObject({ model: 'huawei-e1x', atPort: '/dev/ttyUSB11', voicePort: '/dev/ttyUSB10' });
    expect(devices[2].astribank).toMatchObject({ family: 'multi', firmware: 'none' });
    expect(devices[3].astribank).toMatchObject({ family: 'multi', firmware: 'fpga' });

    const matched = matchUsbDevices(devices, profiles);
    expect(matched.map((m) => m.profile?.id ?? m.candidates.map((p) => p.id).join('|'))).toEqual([
      'quectel-ec25',
      'huawei-e1550',
      '', // no firmware: no profile matches until it reports as 1152
      'xorcom-astribank-fxo|xorcom-astribank-fxs|xorcom-astribank-pri',
    ]);
  });

  it.each([
    [0x1130, 'FXS/FXO', 'none'],
    [0x1141, 'BRI', 'usb'],
    [0x1162, 'modular', 'fpga'],
    [0x1163, 'TwinStar', 'fpga'],
    [0x1164, 'EEPROM burner', 'none'],
  ])('reads an Astribank product id %s as family %s, firmware %s', (productId, family, firmware) => {
    expect(classifyUsbDevice({ vendorId: 0xe4e4, productId })?.astribank).toMatchObject({ family, firmware });
  });

  it('reads every USB device in a sysfs tree with the ttys of each interface', () => {
    const all = readUsbSysfs(FIXTURE);
    expect(all).toHaveLength(6);
    const simcom = all.find((d) => d.productId === 0x9001)!;
    expect([...simcom.interfaces.entries()]).toEqual([
      [0, ['ttyUSB4']],
      [1, ['ttyUSB5']],
      [2, ['ttyUSB6']],
      [3, ['ttyUSB7']],
      [4, ['ttyUSB8']],
      [5, []],
    ]);
    expect(readUsbSysfs('/nonexistent')).toEqual([]);
  });

  it('a sysfs snapshot works as the USB port (no hot-plug)', async () => {
    const { devices } = await discoverUsbTelephony({ usb: new SysfsUsbPort(FIXTURE), sysRoot: FIXTURE });
    expect(devices.map((d) => d.id)).toEqual(['2c7c:0125', '1e0e:9001', '12d1:1001', 'e4e4:1150', 'e4e4:1152']);
  });

  it("node-usb's WebUSB devices and connect/disconnect events become the port's list and hot-plug events", async () => {
    const sysDir = join(mkdtempSync(join(tmpdir(), 'tp-webusb-')), 'devices');
    mkdirSync(sysDir);
    const webusb = new FakeWebUsb();
    webusb.plug({ vendorId: 0x2c7c, productId: 0x0125, serialNumber: 'EC25A', product: 'EC25' });
    const port = new WebUsbPort(sysDir, webusb);
    expect(await port.list()).toEqual([{ vendorId: 0x2c7c, productId: 0x0125, serialNumber: 'EC25A', product: 'EC25' }]);
    const events: string[] = [];
    port.onAttach((d) => events.push(`attach ${d.vendorId.toString(16)}:${d.productId.toString(16)} ${d.serialNumber ?? '-'}`));
    port.onDetach((d) => events.push(`detach ${d.serialNumber ?? '-'}`));
    webusb.plug({ vendorId: 0x1e0e, productId: 0x9001 }); // no serial string: null from WebUSB, absent here
    webusb.unplug({ serialNumber: 'EC25A' });
    await port.close();
    webusb.plug({ vendorId: 0x12d1, productId: 0x1001, serialNumber: 'AFTER' });
    expect(events).toEqual(['attach 1e0e:9001 -', 'detach EC25A']);
    expect(port.warnings).toEqual([]);
  });

  it('node-usb without /sys/bus/usb: an empty list and warnings, never a crash (hot-plug included)', async () => {
    const port = new WebUsbPort('/nonexistent/sys/bus/usb/devices');
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      const off = port.onAttach(() => undefined);
      expect(await port.list()).toEqual([]);
      await new Promise((r) => setTimeout(r, 50));
      off();
      expect(uncaught).toEqual([]);
      expect(port.warnings.join('\n')).toMatch(/cannot watch USB hot-plug: .* does not exist[\s\S]*cannot enumerate USB devices/);
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
      await port.close();
    }
  });
});
