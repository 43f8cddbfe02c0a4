/**
 * GSM/LTE trunks with agents at FXS phones, through the whole gateway: a campaign on
 * simulated SIMCom modules (PCM voice ports on the mock serial binding) puts answered calls
 * through to seats on the userspace DAHDI's FXS board. The gateway bridges each modem call
 * to its seat's channel in software (PcmTrunkMediaBridge) and records it from the module's
 * PCM port (pcmTrunkChannels): every connected call's WAV holds the callee's voice (the
 * simulated module's 440 Hz) on the customer side.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { goertzelRms } from '../test-support/voice-audio';
import { loadProfiles } from '../src/provisioning/board-profile';
import { siteFromSource } from '../src/provisioning/site-config';
import { YamlSource } from '../src/provisioning/yaml-source';
import { Gateway, openGateway } from '../src/runtime/gateway';
import { loadCampaignFile } from '../src/runtime/campaign-file';
import { SimulatedSite } from '../simulator/site/simulated-site';

const SITE = `version: 1
site: hil-gsm-seats
boards:
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:0" }
modems:
  - { id: gsm1, profile: simcom-sim7600, port: /dev/ttyUSB6, voicePort: /dev/ttyUSB8, trunkGroup: mobile }
  - { id: gsm2, profile: simcom-sim7600, port: /dev/ttyUSB16, voicePort: /dev/ttyUSB18, trunkGroup: mobile }
seats: { board: phones, count: 2 }
answerGroups: [ { name: sales, strategy: round-robin, seats: 1-2, record: true } ]
callerIdPool: ["075512345678"]
simulation:
  seed: 6
  callees: { mix: { answer: 1, busy: 0, unallocated: 0, no_answer: 0, congestion: 0, absent: 0 }, ringSec: { dist: fixed, value: 0.3 }, talkSec: { dist: fixed, value: 2 } }
  agents: { wrapSec: { dist: fixed, value: 0.2 } }
`;

describeWithFakeDahdi('GSM trunks to FXS seats through the gateway', __filename, () => {
  let sim: SimulatedSite | undefined;
  let gateway: Gateway | undefined;

  afterAll(async () => {
    await gateway?.close(0);
    await sim?.close();
    sim?.sim.reset();
  });

  test('each answered modem call reaches an FXS seat and is recorded with the callee heard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gsm-seats-'));
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, SITE);
    const loaded = siteFromSource(YamlSource.fromText(SITE, siteFile), loadProfiles());
    sim = SimulatedSite.build(loaded);
    gateway = await openGateway({
      site: loaded,
      dbPath: join(dir, 'gw.db'),
      mediaBridge: sim.mediaBridge,
      modems: sim.modems,
      telemetry: false,
    });
    sim.staffSeats(gateway.seats!.seats);
    expect(await gateway.trunks.group('mobile').whenReady(20_000)).toBe(true);
    const numbers = ['13800000001', '13800000002', '13800000003'];
    writeFileSync(join(dir, 'list.txt'), numbers.join('\n') + '\n');
    writeFileSync(
      join(dir, 'c.yaml'),
      'id: mobile1\nmode: fixed-ratio\nratio: 1\ntrunkGroup: mobile\nanswerGroup: sales\ncontacts: list.txt\ncallerIds: ["075512345678"]\nmaxConcurrency: 2\n',
    );
    const campaigns = gateway.campaigns!;
    await campaigns.add(loadCampaignFile(join(dir, 'c.yaml'), { trunkGroups: ['mobile'], answerGroups: ['sales'] }));
    await campaigns.start('mobile1');
    await until(() => campaigns.view('mobile1').state === 'finished', 'campaign finished', 40_000);
    await new Promise((r) => setTimeout(r, 300)); // the last file is closed as its call ends
    const attempts = await gateway.store!.attempts('mobile1');
    const connected = attempts.filter((a) => a.outcome === 'connected');
    expect(connected.map((a) => a.number).sort()).toEqual(numbers);
    for (const a of connected) {
      expect(String(a.seat)).toMatch(/^seat[12]$/);
      const wav = readFileSync(String(a.recording));
      expect(wav.readUInt16LE(22)).toBe(2);
      const data = new Int16Array(wav.buffer.slice(wav.byteOffset + 44));
      const customer = data.filter((_, i) => i % 2 === 0);
      expect(customer.length).toBeGreaterThan(8000);
      // The simulated callee's 440 Hz at 8000 peak (rms 5657), through A-law.
      expect(goertzelRms(customer.subarray(800, 8000), 440)).toBeGreaterThan(5000);
    }
    // Nothing leaked: every module idle again, every seat channel given back by the bridge and the recorder.
    await until(() => gateway!.busyChannels() === 0, 'modules idle', 5000);
    expect(gateway.trunks.channels.openChannels()).toEqual([]);
  }, 60_000);
});
