/**
 * Call recording through the whole gateway on the userspace DAHDI: a predictive
 * campaign on a PRI span puts answered calls through to agents at FXS phones (a
 * DAHDI conference each), and because its answer group records, every connected
 * call leaves a WAV file named by campaign, number and seat, whose path is kept
 * with the attempt and in the agent records export. The bridge, the prompt player
 * and the recorder share the gateway's one channel lender (DAHDI opens a channel
 * once): a second opener would fail with EBUSY and the call would go unrecorded.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';
import { Gateway } from '../src/runtime/gateway';
import { loadCampaignFile } from '../src/runtime/campaign-file';
import { agentRecordsCsv } from '../src/runtime/campaign-export';
import { SimulatedSite } from '../simulator/site/simulated-site';

const SITE = `version: 1
site: hil-recording
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: 2 }
answerGroups: [ { name: sales, strategy: round-robin, seats: 1-2, record: true } ]
callerIdPool: ["075512345678"]
voice:
  recordings: { dir: recordings, retentionDays: 30 }
simulation:
  seed: 4
  callees: { mix: { answer: 1, busy: 0, unallocated: 0, no_answer: 0, congestion: 0, absent: 0 }, ringSec: { dist: fixed, value: 0.3 }, talkSec: { dist: fixed, value: 2 } }
  agents: { wrapSec: { dist: fixed, value: 0.2 } }
`;

describeWithFakeDahdi('call recording through the gateway', __filename, () => {
  let sim: SimulatedSite | undefined;
  let gateway: Gateway | undefined;

  afterAll(async () => {
    await gateway?.close(0);
    await sim?.close();
    sim?.sim.reset();
  });

  test('every connected call of a recording answer group leaves its WAV, named and kept with the attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-rec-gw-'));
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, SITE);
    ({ sim, gateway } = await openSimulatedGateway({ yaml: SITE, siteFile, dbPath: join(dir, 'gw.db'), telemetry: false }));
    expect(await gateway.trunks.group('pstn').whenReady(10_000)).toBe(true);
    const numbers = ['13800000001', '13800000002', '13800000003'];
    writeFileSync(join(dir, 'list.txt'), numbers.join('\n') + '\n');
    writeFileSync(
      join(dir, 'c.yaml'),
      'id: spring\nmode: fixed-ratio\nratio: 1\ntrunkGroup: pstn\nanswerGroup: sales\ncontacts: list.txt\ncallerIds: ["075512345678"]\nmaxConcurrency: 2\n',
    );
    const campaigns = gateway.campaigns!;
    await campaigns.add(loadCampaignFile(join(dir, 'c.yaml'), { trunkGroups: ['pstn'], answerGroups: ['sales'] }));
    await campaigns.start('spring');
    await until(() => campaigns.view('spring').state === 'finished', 'campaign finished', 40_000);
    await new Promise((r) => setTimeout(r, 300)); // the last file is closed as its call ends
    const attempts = await gateway.store!.attempts('spring');
    const connected = attempts.filter((a) => a.outcome === 'connected');
    expect(connected.length).toBe(3);
    for (const a of connected) {
      const path = String(a.recording);
      expect(path).toMatch(new RegExp(`recordings/spring/\\d{4}-\\d{2}-\\d{2}/spring_${a.number}_${a.seat}_\\d{8}-\\d{6}Z\\.wav$`));
      expect(path.startsWith(join(dir, 'recordings'))).toBe(true);
      expect(existsSync(path)).toBe(true);
      const wav = readFileSync(path);
      expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
      expect(wav.readUInt16LE(22)).toBe(2);
      // As long as the call was put through (about the callee's 2 s of talk), header sizes patched to the end.
      const seconds = wav.readUInt32LE(40) / (8000 * 4);
      expect(wav.length).toBe(44 + wav.readUInt32LE(40));
      expect(seconds).toBeGreaterThan(1.0);
      expect(seconds).toBeLessThan(3.5);
    }
    const agents = agentRecordsCsv('spring', await gateway.store!.attempts('spring'))
      .trim()
      .split('\n');
    expect(agents[0].endsWith(',recording')).toBe(true);
    expect(agents.slice(1).every((r) => /recordings\/spring\/.*\.wav$/.test(r))).toBe(true);
  }, 60_000);
});
