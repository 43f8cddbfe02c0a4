import { join } from 'node:path';
import { loadProfiles } from '../provisioning/board-profile';
import { loadSite, siteFromSource } from '../provisioning/site-config';
import { ConfigFileError } from '../provisioning/errors';
import { YamlSource } from '../provisioning/yaml-source';
import { MockModemRig } from '../../simulator/modem/modem-rig';
import { openSiteTrunks } from './site-trunks';
import { modemAtPort, modemPorts } from './site-modems';
import { MODEM_PROFILES } from '../../drivers/modem/modem-profiles';

const ROOT = join(__dirname, '..', '..');
const profiles = loadProfiles();
const USB_FIXTURE = join(ROOT, 'hil-tests', 'fixtures', 'sysfs', 'usb-gateways');

function site(text: string) {
  return siteFromSource(YamlSource.fromText(text, 'sites/test.yaml'), profiles);
}

function findings(text: string): string[] {
  try {
    site(text);
    return [];
  } catch (err) {
    if (err instanceof ConfigFileError) return err.issues.map((i) => `${i.line}: ${i.message}`);
    throw err;
  }
}

describe('modem trunks in the site file', () => {
  it('the shipped example loads', () => {
    expect(loadSite(join(ROOT, 'board-profiles', 'sites', 'gsm.yaml'), profiles).site.modems).toHaveLength(4);
  });

  it('refuses what cannot work, naming line and field', () => {
    const text = [
      'version: 1',
      'site: t',
      'boards: []',
      'modems:',
      '  - { id: a, profile: quectel-ec25, port: /dev/ttyUSB2 }',
      '  - { id: a, profile: openvox-d430p, port: /dev/ttyUSB2 }',
      '  - { id: c, profile: no-such-modem, usbSerial: X }',
      '',
    ].join('\n');
    const f = findings(text);
    expect(f).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^6: .*modem id 'a' is used twice/),
        expect.stringMatching(/^6: .*port '\/dev\/ttyUSB2' is already modem 'a'/),
        expect.stringMatching(/^6: .*'openvox-d430p' is not a GSM\/LTE module/),
        expect.stringMatching(/^7: .*unknown profile 'no-such-modem'/),
      ]),
    );
    expect(findings('version: 1\nsite: t\nboards: []\nmodems:\n  - { id: a, profile: quectel-ec25 }\n').join()).toMatch(/5: /);
    expect(findings('version: 1\nsite: t\nboards:\n  - { id: m, profile: quectel-ec25, device: usb }\n').join()).toMatch(
      /list it under modems:/,
    );
  });

  it("finds a module's AT port by its USB serial in sysfs, and says so when it is not plugged in", () => {
    expect(modemAtPort({ id: 'g', profile: 'quectel-ec25', usbSerial: 'EC25AFFD0123' }, MODEM_PROFILES['quectel-ec2x'], USB_FIXTURE)).toBe(
      '/dev/ttyUSB2',
    );
    expect(() => modemAtPort({ id: 'g', profile: 'quectel-ec25', usbSerial: 'GONE' }, MODEM_PROFILES['quectel-ec2x'], USB_FIXTURE)).toThrow(
      /modem g: no USB device with serial 'GONE'/,
    );
    expect(
      modemPorts({ id: 's', profile: 'simcom-sim7600', usbSerial: 'SIM7600G0456' }, MODEM_PROFILES['simcom-sim7600'], USB_FIXTURE),
    ).toEqual({ at: '/dev/ttyUSB6', voice: '/dev/ttyUSB8' });
    // USB audio (Quectel) is no serial voice port, whatever the site says.
    expect(
      modemPorts(
        { id: 'q', profile: 'quectel-ec25', port: '/dev/ttyUSB2', voicePort: '/dev/ttyUSB3' },
        MODEM_PROFILES['quectel-ec2x'],
        USB_FIXTURE,
      ),
    ).toEqual({ at: '/dev/ttyUSB2', voice: undefined });
  });

  it('openSiteTrunks opens the modems as one trunk group, with SIM PINs from the environment and per-SIM caps', async () => {
    const rig = new MockModemRig(5);
    const devices = [
      rig.modem('/dev/ttyUSB2', 'quectel-ec2x', { simPin: '4321' }),
      rig.modem('/dev/modem/by-imei/866123456789013/at', 'quectel-ec2x'),
      rig.modem('/dev/modem/by-imei/862345678901234/at', 'simcom-sim7600', {
        voice: rig.wire.device('/dev/modem/by-imei/862345678901234/voice'),
      }),
      rig.modem('/dev/modem/by-imei/354321098765432/at', 'huawei-e1x'),
    ];
    const loaded = loadSite(join(ROOT, 'board-profiles', 'sites', 'gsm.yaml'), profiles);
    const trunks = await openSiteTrunks(loaded, {
      clock: rig.clock,
      modems: { serialOpener: rig.opener, sysRoot: USB_FIXTURE, procRoot: '/nonexistent/proc', env: { GSM1_SIM_PIN: '4321' } },
    });
    try {
      const group = trunks.group('mobile');
      expect(await rig.until(() => group.idleChannels() === 4, 20000)).toBe(true);
      rig.population.override('13800138000', 'busy');
      let r: Awaited<ReturnType<typeof group.dial>> | undefined;
      void group.dial({ number: '13800138000' }).then((x) => (r = x));
      expect(await rig.until(() => r !== undefined, 20000)).toBe(true);
      expect(r).toMatchObject({ outcome: 'busy', cause: 17 });
      expect(devices.reduce((n, d) => n + d.dialled.length, 0)).toBe(1);
      const g = trunks.modemGroups[0];
      expect(g.modems.map((m) => m.status.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
      expect(g.signalling.callsToday(r!.channel!)).toEqual({ calls: 1, cap: 150 });
      // The SIMCom's voice port is open for the media bridge; the Huawei's device is absent here (a warning, no voice); the Quectel has none.
      expect([1, 2, 3, 4].map((ch) => g.signalling.voicePort(ch)?.name)).toEqual([
        undefined,
        undefined,
        '/dev/modem/by-imei/862345678901234/voice',
        undefined,
      ]);
      // A bridge or player asking for a Quectel's voice is told why there is none.
      expect(() => g.signalling.requireVoicePort(1)).toThrow(/modem gsm1: call audio not supported on this host: .*no ALSA sound card/);
      expect(() => g.signalling.requireVoicePort(4)).toThrow(/has no voice port/);
    } finally {
      await trunks.close();
    }
  });
});
