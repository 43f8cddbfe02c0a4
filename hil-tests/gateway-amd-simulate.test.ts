/**
 * `trunkpilot run --simulate` with an AMD campaign, composed as the run command
 * composes it: the gateway on the userspace DAHDI (PRI B-channels read through
 * DahdiTrunkAudio and the site's one channel lender, seats bridged by DAHDI
 * conferences on the same lender), the simulated exchange playing each callee's
 * audio (the site's simulation.callees.audio), simulated agents at FXS phones.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock';
import { AttemptRecord } from '../src/campaign/outbound-campaign';
import { YamlSource } from '../src/provisioning/yaml-source';
import { campaignFromSource } from '../src/runtime/campaign-file';
import { CALLEES, expectVerdicts, MAX_ANALYSIS_SEC, SEED } from '../test-support/campaign/e1-amd-scenario';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';

const SITE = `version: 1
site: amd-sim
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: pri-cpe, timing: 1, trunkGroup: pstn }
  - id: phones
    profile: trunkpilot-sim-fxs16
    device: sim:1
seats:
  board: phones
  count: 3
answerGroups:
  - { name: agents, strategy: least-recent, seats: 1-3 }
callerIdPool: ["075512345678"]
simulation:
  seed: ${SEED}
  callees: { audio: { earlyMediaSec: 8 } }
  agents: { wrapSec: { dist: fixed, value: 0.5 }, answerSec: { dist: fixed, value: 0.3 } }
`;

describeWithFakeDahdi('an AMD campaign in trunkpilot run --simulate', __filename, () => {
  it('drops machines, fax and announcements before any seat; persons reach the FXS seats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-amd-'));
    writeFileSync(join(dir, 'list.csv'), Object.keys(CALLEES).join('\n') + '\n');
    writeFileSync(
      join(dir, 'amd.yaml'),
      `id: amd\nmode: progressive\ntrunkGroup: pstn\nanswerGroup: agents\ncontacts: list.csv\nringSeconds: 30\namd: { maxAnalysisSeconds: ${MAX_ANALYSIS_SEC} }\n`,
    );
    const { sim: site, gateway } = await openSimulatedGateway({
      yaml: SITE,
      siteFile: join(dir, 'amd-sim.yaml'),
      dbPath: join(dir, 'amd.db'),
      callees: CALLEES,
      simulatedVoice: true,
      telemetry: false,
      clock: systemClock,
    });
    try {
      const records = new Map<string, AttemptRecord>();
      gateway.campaigns!.onAttempt((_, r) => records.set(r.number, r));
      const spec = campaignFromSource(YamlSource.fromFile(join(dir, 'amd.yaml')), { trunkGroups: ['pstn'], answerGroups: ['agents'] });
      await gateway.campaigns!.add(spec);
      await gateway.campaigns!.start('amd');
      const deadline = Date.now() + 90_000;
      while (records.size < Object.keys(CALLEES).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const connected = [...records.values()].filter((r) => r.outcome === 'connected').map((r) => r.number);
      expectVerdicts(records, connected, /^seat[123]$/);
      // Every voice path the analysis opened was given back.
      expect(gateway.trunks.channels.openChannels()).toEqual([]);
    } finally {
      await gateway.close(5000);
      await site.close();
      // Gateway.close leaves the seats as they are: a seat in wrap-up keeps its 120 s wrap limit timer.
      for (const seat of gateway.seats!.seats) if (seat.state === 'wrap-up') seat.wrapDone('test over');
    }
  }, 110_000);
});
