/**
 * A module's voice port after it was unplugged and plugged back: its tty went with the
 * module, and the next call's audio must flow on the reopened one (the callee's 440 Hz
 * tone from the simulated SIMCom), with the site's trunks opened as `run` opens them.
 */
import { loadProfiles } from '../provisioning/board-profile';
import { siteFromSource } from '../provisioning/site-config';
import { YamlSource } from '../provisioning/yaml-source';
import { MockModemRig } from '../../simulator/modem/modem-rig';
import { openSiteTrunks } from './site-trunks';
import { SerialPcmVoicePort } from '../../drivers/modem/serial-pcm-voice';

const SITE = [
  'version: 1',
  'site: t',
  'boards: []',
  'modems:',
  '  - { id: gsm3, profile: simcom-sim7600, port: /dev/ttyUSB6, voicePort: /dev/ttyUSB8, trunkGroup: mobile }',
  '',
].join('\n');

test('the next call after an unplug and replug is heard on the reopened voice port', async () => {
  const rig = new MockModemRig(2);
  const device = rig.modem('/dev/ttyUSB6', 'simcom-sim7600', { voice: rig.wire.device('/dev/ttyUSB8') });
  const loaded = siteFromSource(YamlSource.fromText(SITE, 'sites/t.yaml'), loadProfiles());
  const trunks = await openSiteTrunks(loaded, { clock: rig.clock, modems: { serialOpener: rig.opener, procRoot: '/nonexistent/proc' } });
  try {
    const group = trunks.group('mobile');
    const signalling = trunks.modemGroups[0].signalling;
    const span = trunks.spans[0];
    expect(await rig.until(() => group.idleChannels() === 1, 20000)).toBe(true);
    rig.population.override('13800138000', { kind: 'answer', ringMs: 200, talkMs: 600000 });

    /** Places a call, counts the voice frames that arrive in a second of it, hangs up. */
    const framesOfACall = async () => {
      const call = span.placeCall(span.channel(1)!, { number: '13800138000' });
      expect(await rig.until(() => call.state === 'answered', 5000)).toBe(true);
      let frames = 0;
      let peak = 0;
      const off = signalling.requireVoicePort(1).onFrame((f) => {
        frames++;
        peak = Math.max(peak, ...Array.from(f, Math.abs));
      });
      await rig.run(1000, 20);
      off();
      call.hangup();
      await rig.run(500);
      return { frames, peak };
    };

    expect(await framesOfACall()).toMatchObject({ frames: expect.any(Number), peak: 8000 });
    device.fault('PORT_VANISHES');
    await rig.run(200);
    expect(span.channel(1)!.state).toBe('out-of-service');
    expect((signalling.voicePort(1) as SerialPcmVoicePort).isOpen).toBe(false);
    device.clearFault('PORT_VANISHES');
    expect(await rig.until(() => group.idleChannels() === 1, 30000)).toBe(true);
    expect(await rig.until(() => (signalling.voicePort(1) as SerialPcmVoicePort).isOpen, 2000)).toBe(true);
    const after = await framesOfACall();
    expect(after.frames).toBeGreaterThanOrEqual(40);
    expect(after.peak).toBe(8000);
    expect(span.leakedChannels()).toEqual([]);
  } finally {
    await trunks.close();
  }
});
