/**
 * The gateway's campaigns in virtual time over the virtual network: approval,
 * start/pause/resume/stop, what survives a restart of the registry, the exports.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { SimulatedAgents } from '../../simulator/virtual-trunk/simulated-agent';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { CampaignStore } from '../campaign/campaign-store';
import { ConfigFileError } from '../provisioning/errors';
import { AnswerGroup } from '../seats/answer-group';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { loadCampaignFile } from './campaign-file';
import { agentRecordsCsv, exportPage, resultsCsv } from './campaign-export';
import { CampaignRegistry } from './campaign-registry';
import { silentLogger } from '../core/logger';

/**
 * These run in virtual time, which does not wait for the disk: a real sync would let
 * the clock run past the dial it holds up. Syncs here are done at once (dialling
 * only after the sync is campaign-store.test.ts's subject).
 */
const atOnce = { syncFile: async () => undefined };

async function setup(dir: string, store: CampaignStore) {
  const scenario = testScenario({ lines: 6, agents: 2, outcomes: { human: 0.6, busy: 0.4 }, talk_sec: { dist: 'fixed', value: 10 } });
  const trunks = buildVirtualTrunks(scenario, 1);
  const { clock } = trunks;
  const seats = [1, 2].map((i) => new Seat(`seat${i}`, { kind: 'simulated', id: `seat${i}` }, { clock }));
  seats.forEach((s) => s.login());
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('agents', seats, 'memory'),
    bridge: new SimulatedMediaBridge(),
    playAbandonMessage: async () => undefined,
  });
  new SimulatedAgents({ clock, network: trunks.network, distributor, wrapSec: scenario.wrapSec, machineAgentSec: 5, seed: 1 });
  const registry = await CampaignRegistry.open({
    store,
    clock,
    logger: silentLogger,
    dialer: () => trunks.group,
    distributor: () => distributor,
    approvedCallerIds: ['075512345678'],
  });
  return { registry, clock, dir };
}

function campaignFile(dir: string, extra = ''): string {
  writeFileSync(join(dir, 'list.csv'), Array.from({ length: 12 }, (_, i) => `1390000${String(i).padStart(4, '0')}`).join('\n') + '\n');
  const file = join(dir, 'c.yaml');
  writeFileSync(
    file,
    `id: spring
mode: progressive
trunkGroup: pstn
answerGroup: agents
contacts: list.csv
retries: { busy: { maxAttempts: 2, delaySeconds: 30 } }
${extra}`,
  );
  return file;
}

describe('campaign registry', () => {
  test('caller numbers outside the site pool wait for approval; then start, pause, resume, stop; the store remembers it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    const db = join(dir, 'gw.db');
    let store = new CampaignStore(db, atOnce);
    const { registry, clock } = await setup(dir, store);
    const spec = loadCampaignFile(campaignFile(dir, 'callerIds: ["075512345678", "4008001234"]\n'), {
      trunkGroups: ['pstn'],
      answerGroups: ['agents'],
    });
    const added = await registry.add(spec);
    expect(added.campaign).toMatchObject({
      id: 'spring',
      state: 'pending-approval',
      needs: ["caller numbers not in the site's callerIdPool: 4008001234"],
      total: 12,
    });
    await expect(registry.start('spring')).rejects.toThrow(/waits for approval of caller numbers/);
    expect(await registry.approve('spring')).toMatchObject({ state: 'ready', needs: [] });
    await expect(registry.add(spec)).rejects.toThrow(/already exists/);

    await registry.start('spring');
    await runFor(clock, 20_000);
    expect(registry.view('spring').activeCalls).toBeGreaterThan(0);
    expect((await registry.pause('spring')).state).toBe('paused');
    await runFor(clock, 60_000);
    // Paused: calls in progress ended, no new ones.
    expect(registry.view('spring').activeCalls).toBe(0);
    const doneWhilePaused = registry.view('spring').done;
    await runFor(clock, 60_000);
    expect(registry.view('spring').done).toBe(doneWhilePaused);
    expect((await registry.resume('spring')).state).toBe('running');
    await runFor(clock, 10_000);
    expect(registry.view('spring').activeCalls).toBeGreaterThan(0);

    // A restart (a new registry on the same store) finds it running and takes it up.
    // Shutdown: no new calls; the calls in progress finish (virtual time runs on while they do).
    const stopping = registry.shutdown();
    await runFor(clock, 120_000);
    await stopping;
    expect(registry.view('spring')).toMatchObject({ state: 'running', activeCalls: 0 });
    store.close();
    store = new CampaignStore(db, atOnce);
    const again = await setup(dir, store);
    expect(again.registry.view('spring').state).toBe('running');
    expect(await again.registry.resumeAfterRestart()).toEqual(['spring']);
    await runFor(again.clock, 600_000);
    expect(again.registry.view('spring')).toMatchObject({ state: 'finished', done: 12, activeCalls: 0 });

    const results = resultsCsv(store.allContacts('spring'), store.attempts('spring')).trim().split('\n');
    expect(results[0]).toMatch(/^number,outcome,cause,attempts,seat,keys/);
    expect(results).toHaveLength(13);
    for (const row of results.slice(1)) expect(row).toMatch(/^1390000\d{4},(connected|busy|abandoned|other),\d*,[12],/);
    // Over MQTT the export goes in pages (a reply stays under the broker's packet bound); the pages add up to the whole.
    const paged: string[] = [];
    for (let from: number | null = 0; from !== null;) {
      const page = await exportPage(store, 'spring', 'results', from, 5);
      expect(page.header).toBe(results[0]);
      expect(page.rows.length).toBeLessThanOrEqual(5);
      paged.push(...page.rows);
      from = page.next;
    }
    expect(paged).toEqual(results.slice(1));
    const agents = agentRecordsCsv('spring', store.attempts('spring')).trim().split('\n');
    expect(agents[0]).toBe('seat,campaign,number,dialled_at,answered_at,ended_at,wait_sec,talk_sec,outcome,cause,recording');
    expect(agents.slice(1).every((r) => /^seat[12],spring,1390000/.test(r))).toBe(true);
    await expect(again.registry.stop('spring')).rejects.toThrow(/cannot stop a campaign that is finished/);
    store.close();
  });

  test('a shared store read begun before a pause does not undo it: the pause holds and nothing more is dialled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    const local = new CampaignStore(join(dir, 'gw.db'), atOnce);
    // A centre's store whose reads take 300 ms: what a read returns is the store as it was when the read began.
    let reading = false;
    const slow: { clock?: { setTimer(ms: number, fn: () => void): unknown } } = {};
    const shared = Object.assign(Object.create(local) as CampaignStore, {
      shared: true,
      campaignDefs: () => {
        const rows = local.campaignDefs();
        if (!slow.clock) return Promise.resolve(rows); // opening, adding, starting: at once
        reading = true;
        return new Promise((resolve) =>
          slow.clock!.setTimer(300, () => {
            reading = false;
            resolve(rows);
          }),
        );
      },
    });
    const { registry, clock } = await setup(dir, shared as unknown as CampaignStore);
    await registry.add(loadCampaignFile(campaignFile(dir)));
    await registry.start('spring');
    slow.clock = clock;
    await runFor(clock, 5000);
    // Paused while the gateway's follower is reading the state before the pause.
    for (let n = 0; !reading && n < 1000; n++) await runFor(clock, 10);
    expect(reading).toBe(true);
    expect((await registry.pause('spring')).state).toBe('paused');
    // The read lands with the state from before the pause: the pause stands (it was not resumed for a second).
    await runFor(clock, 400);
    expect(reading).toBe(false);
    expect(registry.view('spring').state).toBe('paused');
    await runFor(clock, 30_000);
    const done = registry.view('spring').done;
    await runFor(clock, 30_000);
    expect(registry.view('spring')).toMatchObject({ state: 'paused', activeCalls: 0, done });
    const stopping = registry.shutdown();
    await runFor(clock, 5000);
    await stopping;
    local.close();
  });

  test('a crash in the middle of adding a campaign leaves nothing that doubles its list when it is added again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    const store = new CampaignStore(join(dir, 'gw.db'), atOnce);
    // What a crash after the list's first batch and before the campaign's row leaves behind.
    store.addContacts('spring', [{ number: '13900000000' }, { number: '13900000001' }]);
    const { registry } = await setup(dir, store);
    expect(registry.list()).toEqual([]);
    await registry.add(loadCampaignFile(campaignFile(dir)));
    expect(registry.view('spring').total).toBe(12);
    store.close();
  });

  test('a test call dials the number given, not the list, and the list is untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    const store = new CampaignStore(join(dir, 'gw.db'), atOnce);
    const { registry, clock } = await setup(dir, store);
    await registry.add(loadCampaignFile(campaignFile(dir)));
    const call = registry.testCall('spring', '13800138000');
    await runFor(clock, 60_000);
    expect(await call).toMatchObject({ number: '13800138000', test: true });
    expect(store.attempts('spring')).toEqual([]);
    expect(registry.view('spring')).toMatchObject({ state: 'ready', done: 0 });
    store.close();
  });

  test('campaign files: every finding as file:line field message, nothing used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    const file = campaignFile(dir, 'maxConcurrency: 1000\nratio: 2\ncalleeCaps: { maxPer24h: 2, maxPer5min: 3, localHours: "8-21" }\n');
    let err: ConfigFileError | undefined;
    try {
      loadCampaignFile(file, { trunkGroups: ['pstn'], answerGroups: ['agents'] });
    } catch (e) {
      err = e as ConfigFileError;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err!.message).toMatch(new RegExp(`^${file}:7: maxConcurrency: `, 'm'));
    expect(err!.message).toMatch(/calleeCaps\.localHours: "8-21"/);
    const wrongSite = campaignFile(dir, 'ratio: 2\n');
    expect(() => loadCampaignFile(wrongSite, { trunkGroups: ['other'], answerGroups: ['agents'] })).toThrow(
      /c\.yaml:3: trunkGroup: the site has no trunk group 'pstn' \(other\)/,
    );
    expect(() => loadCampaignFile(wrongSite, { trunkGroups: ['pstn'], answerGroups: ['agents'] })).toThrow(
      /c\.yaml:7: ratio: only a fixed-ratio campaign has a ratio/,
    );
    writeFileSync(join(dir, 'b.yaml'), 'id: b\nmode: broadcast\ntrunkGroup: pstn\ncontacts: list.csv\n');
    expect(() => loadCampaignFile(join(dir, 'b.yaml'))).toThrow(/b\.yaml:1: voice: is required but missing/);
  });

  test('campaign files: prompts, the agent number and recording, paths made absolute; bad ones name the line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-reg-'));
    mkdirSync(join(dir, 'digits'));
    for (let d = 0; d <= 9; d++) writeFileSync(join(dir, 'digits', `${d}.wav`), 'x');
    writeFileSync(join(dir, 'busy.wav'), 'x');
    const ok = campaignFile(
      dir,
      'abandonMessage: busy.wav\nagentNumber: { pattern: "8?", digits: digits }\nrecording: { enabled: true, layout: mixed }\n',
    );
    const spec = loadCampaignFile(ok, { trunkGroups: ['pstn'], answerGroups: ['agents'] });
    expect(spec).toMatchObject({
      abandonMessage: join(dir, 'busy.wav'),
      agentNumber: { pattern: '8?', digits: join(dir, 'digits') },
      recording: { enabled: true, layout: 'mixed' },
    });
    const bad = campaignFile(dir, 'agentNumber: { pattern: "8x", digits: digits }\nrecording: { layout: loud }\n');
    expect(() => loadCampaignFile(bad)).toThrow(/c\.yaml:7: agentNumber\.pattern: /);
    expect(() => loadCampaignFile(bad)).toThrow(/c\.yaml:8: recording\.layout: /);
    writeFileSync(
      join(dir, 'b.yaml'),
      'id: b\nmode: broadcast\ntrunkGroup: pstn\ncontacts: list.csv\nvoice: { file: busy.wav, terminator: "##" }\n',
    );
    expect(() => loadCampaignFile(join(dir, 'b.yaml'))).toThrow(/b\.yaml:5: voice\.terminator: /);
  });
});
