/**
 * The composition root on the userspace DAHDI: a site whose board is missing, or
 * whose span is in alarm, still starts; those trunks are out of service and said so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { TrunkpilotError } from '../core/errors';
import { loadProfiles } from '../provisioning/board-profile';
import { siteFromSource } from '../provisioning/site-config';
import { YamlSource } from '../provisioning/yaml-source';
import { openGateway } from './gateway';

const SITE = `version: 1
site: half-there
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: pri-cpe, trunkGroup: pstn }
      - { local: 2, signalling: pri-cpe, trunkGroup: backup }
`;

describeWithFakeDahdi('gateway composition root', __filename, () => {
  let sim: SimulatedDahdi;
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => sim.reset());

  test('span 1 in alarm and span 2 missing: the gateway starts, both out of service and reported', async () => {
    // Only the board's first span exists, and its line is down (LOS).
    const span1 = sim.addSpan('e1-ccs');
    sim.injectFault(span1, 'LOS');
    const loaded = siteFromSource(YamlSource.fromText(SITE, 'half-there.yaml'), loadProfiles());
    const gateway = await openGateway({
      site: loaded,
      dbPath: join(mkdtempSync(join(tmpdir(), 'tp-gw-')), 'gw.db'),
      telemetry: false,
      alarmDebounceMs: { red: 50, blue: 50, yellow: 50 },
    });
    try {
      expect(gateway.trunks.outOfService).toEqual([{ spanno: 2, trunkGroup: 'backup', reason: expect.stringMatching(/channel 47/) }]);
      expect(gateway.trunks.spans.map((s) => s.id)).toEqual([1]);
      // The group of the missing span exists (campaigns on it wait) but has no channel to give.
      expect(gateway.trunks.group('backup').idleChannels()).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      const pstn = gateway.trunks.group('pstn');
      expect(pstn.spans[0].linkUp).toBe(false);
      expect(pstn.idleChannels()).toBe(0);
      expect(await pstn.dial({ number: '13800138000' })).toMatchObject({ outcome: 'link_down' });
    } finally {
      await gateway.close(0);
    }
  });

  test('a remote agent on a trunk group the site does not have is refused by name, and nothing stays open', async () => {
    sim.addSpan('e1-ccs');
    sim.addSpan('e1-ccs');
    const site = `${SITE}seats:\n  board: trunks\n  count: 1\n  remote: [ { number: "13900000001", trunkGroup: mobile } ]\n`;
    const loaded = siteFromSource(YamlSource.fromText(site, 'half-there.yaml'), loadProfiles());
    const opening = openGateway({
      site: loaded,
      dbPath: join(mkdtempSync(join(tmpdir(), 'tp-gw-')), 'gw.db'),
      telemetry: false,
      mediaBridge: { bridge: async () => Promise.reject(new Error('no calls here')) },
    });
    await expect(opening).rejects.toThrow(/seats\.remote\[0\]\.trunkGroup: no trunk group 'mobile' in this site \(pstn, backup\)/);
    // Every channel the gateway opened was closed again.
    for (const ch of [1, 2, 3, 16, 33]) expect(sim.channelState(ch).open).toBe(false);
  });

  test('a one-off dial (trunks only) still refuses a site it cannot open, with a typed error', async () => {
    sim.addSpan('e1-ccs');
    const loaded = siteFromSource(YamlSource.fromText(SITE, 'half-there.yaml'), loadProfiles());
    await expect(openGateway({ site: loaded, trunksOnly: true })).rejects.toThrow(TrunkpilotError);
  });
});
