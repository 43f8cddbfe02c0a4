/**
 * The gateway as a user runs it: `trunkpilot run --site SITE --simulate` as a
 * child process (the userspace DAHDI, the PRI exchange behind two E1 spans,
 * simulated agents at FXS phones), driven with `trunkpilot campaign ...` over its
 * MQTT command interface; and killed with SIGKILL at random points mid-campaign.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStore } from '../src/campaign/campaign-store';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { loadSite } from '../src/provisioning/site-config';
import { loadProfiles } from '../src/provisioning/board-profile';
import { CommandClient, commandTarget } from '../src/runtime/command-client';
import mqtt from 'mqtt';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { cli as runCli, freePort, parseCsv, ROOT, startGateway, until } from '../test-support/runtime/gateway-child';

/** The operator the tests log in as; the site file holds only its scrypt hash. */
const USER = 'boss';
const PASSWORD = 'secret-pw-1';
const HASH = hashPassword(PASSWORD);
const CLI_ENV = { TRUNKPILOT_USER: USER, TRUNKPILOT_PASSWORD: PASSWORD };
const cli = (args: string[]) => runCli(args, CLI_ENV);

function siteYaml(port: number, seats: number): string {
  return `version: 1
site: hil-gateway
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn }, { local: 2, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: ${seats} }
answerGroups: [ { name: agents, strategy: memory, seats: 1-${seats} } ]
callerIdPool: ["075512345678"]
telemetry:
  mqttPort: ${port}
  dashboardPort: false
  users: { ${USER}: { role: operator, password_scrypt: "${HASH}" } }
  commands: { ${USER}: ["campaign.*"] }
simulation:
  seed: 3
  callees: { ringSec: { dist: fixed, value: 0.2 }, talkSec: { dist: lognormal, median: 0.6, sigma: 0.3 }, noAnswerSec: 1 }
  agents: { wrapSec: { dist: fixed, value: 0.2 } }
`;
}

const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) && existsSync(fakeDahdiLibraryPath());

describe('trunkpilot run --simulate (child process)', () => {
  beforeAll(() => {
    if (!built) throw new Error('dist/ or build/libfakedahdi.so is missing: run scripts/setup (npm test does)');
  });

  test('a campaign with a GB18030 blacklist and bad rows: every valid number has its outcome, the blacklist and the caps hold, nothing left busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gw-'));
    const port = await freePort();
    writeFileSync(join(dir, 'site.yaml'), siteYaml(port, 8));
    const numbers = Array.from({ length: 60 }, (_, i) => `139${String(i).padStart(8, '0')}`);
    const blacklisted = [numbers[3], numbers[17], numbers[42]];
    // The list in UTF-8 with a BOM, names in Chinese; the blacklist below in GB18030.
    const names = ['张三', '李四'];
    const rows = ['number,name', ...numbers.map((n, i) => `${n},${names[i % 2]}`)];
    rows.splice(5, 0, 'call-me-maybe,bad'); // line 6
    rows.splice(12, 0, '1,2,3,4,5,6,7,8,9,10,11'); // line 13: 11 columns
    rows.splice(20, 0, `${numbers[0]},again`); // a duplicate
    writeFileSync(join(dir, 'contacts.csv'), '\uFEFF' + rows.join('\n') + '\n');
    // The blacklist as Chinese Excel writes it: GB18030/GBK, a header (电话,姓名) and names (张三, 李四).
    const gbk = (hex: string) => Buffer.from(hex, 'hex');
    writeFileSync(
      join(dir, 'blacklist.txt'),
      Buffer.concat([
        gbk('b5e7bbb02cd0d5c3fb0a'),
        Buffer.from(`${blacklisted[0]},`),
        gbk('d5c5c8fd'),
        Buffer.from('\n'),
        Buffer.from(`${blacklisted[1].slice(0, 3)}-${blacklisted[1].slice(3)},`),
        gbk('c0eecbc4'),
        Buffer.from('\n'),
        Buffer.from(`${blacklisted[2]},`),
        gbk('d5c5c8fd'),
        Buffer.from('\n'),
      ]),
    );
    writeFileSync(
      join(dir, 'campaign.yaml'),
      `id: hil-run
mode: predictive
trunkGroup: pstn
answerGroup: agents
contacts: contacts.csv
blacklist: [blacklist.txt]
callerIds: ["075512345678"]
maxConcurrency: 30
ringSeconds: 10
abandonTarget: 0.03
retries:
  busy: { maxAttempts: 3, delaySeconds: 0.3 }
  no_answer: { maxAttempts: 3, delaySeconds: 0.3 }
  other: { maxAttempts: 2, delaySeconds: 0.3 }
  congestion: { maxAttempts: 1 }
  absent: { maxAttempts: 1 }
  abandoned: { maxAttempts: 1 }
  lost: { maxAttempts: 1 }
calleeCaps: { maxPer24h: 2, localHours: "00:00-24:00" }
`,
    );
    const site = join(dir, 'site.yaml');
    // No LD_PRELOAD here: the command re-executes itself with the userspace DAHDI.
    const gw = await startGateway(['--site', site, '--simulate', '--db', join(dir, 'gw.db'), '--grace', '10']);
    // A dashboard's view of the gateway over MQTT.
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, username: USER, password: PASSWORD });
    const seen: { topic: string; json: Record<string, unknown> }[] = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, json: JSON.parse(payload.toString()) }));
    await watcher.subscribeAsync('trunkpilot/hil-gateway/#');
    try {
      const added = cli(['campaign', 'add', join(dir, 'campaign.yaml'), '--site', site, '--json']);
      expect(added.code).toBe(0);
      const report = JSON.parse(added.out);
      expect(report.campaign).toMatchObject({ id: 'hil-run', state: 'ready' });
      expect(report.import).toMatchObject({ accepted: 57, rejected: 2, blacklisted: 3, duplicates: 1 });
      expect(report.import.problems.map((p: { line: number }) => p.line)).toEqual([6, 13]);
      expect(cli(['campaign', 'start', 'hil-run', '--site', site, '--json']).code).toBe(0);

      // Done when every number has its final outcome, or has had the 2 calls in 24 h the caps allow.
      const outFile = join(dir, 'results.csv');
      const results = await until('every number to be settled', 90_000, async () => {
        const show = JSON.parse(cli(['campaign', 'show', 'hil-run', '--site', site, '--json']).out);
        if (show.activeCalls > 0) return undefined;
        expect(cli(['campaign', 'export', 'hil-run', '--out', outFile, '--site', site]).code).toBe(0);
        const rows = parseCsv(readFileSync(outFile, 'utf8'));
        const settled = rows.every(
          (r) =>
            ['connected', 'abandoned', 'unallocated', 'congestion', 'absent', 'lost', 'blacklisted'].includes(r.outcome) ||
            r.attempts === '2',
        );
        return settled && rows.every((r) => r.outcome !== 'pending') ? rows : undefined;
      });
      expect(cli(['campaign', 'stop', 'hil-run', '--site', site]).code).toBe(0);

      expect(readFileSync(outFile, 'utf8').split('\n')[0]).toMatch(/^number,outcome,cause,attempts,seat,keys/);
      // Every valid number of the list, once, with its outcome; the blacklisted ones never dialled.
      expect(results.map((r) => r.number).sort()).toEqual([...numbers].sort());
      for (const r of results) {
        expect(r.fields).toBe(names[numbers.indexOf(r.number) % 2]);
        if (blacklisted.includes(r.number)) expect(r).toMatchObject({ outcome: 'blacklisted', attempts: '0' });
        else expect(Number(r.attempts)).toBeGreaterThanOrEqual(1);
        // The cap: at most 2 calls to a number in 24 h, though the retry rules would allow 3.
        expect(Number(r.attempts)).toBeLessThanOrEqual(2);
        if (r.outcome === 'connected') expect(r.seat).toMatch(/^seat[1-8]$/);
      }
      expect(results.some((r) => ['busy', 'no_answer'].includes(r.outcome) && r.attempts === '2')).toBe(true);
      const connected = results.filter((r) => r.outcome === 'connected').length;
      const abandoned = results.filter((r) => r.outcome === 'abandoned').length;
      expect(connected).toBeGreaterThan(10);
      expect(abandoned / (connected + abandoned)).toBeLessThanOrEqual(0.03);
      const agents = parseCsv(readFileSync(join(dir, 'results-agents.csv'), 'utf8'));
      expect(agents.filter((a) => a.outcome === 'connected').length).toBeGreaterThanOrEqual(connected);
    } finally {
      gw.child.kill('SIGTERM');
    }
    const exit = await gw.exited;
    await watcher.endAsync(true);
    expect(exit).toEqual({ code: 0, signal: null });
    // Progress was published while it ran, and the gateway said goodbye before exiting.
    expect(seen.some((m) => m.topic === 'trunkpilot/hil-gateway/campaigns/hil-run/progress')).toBe(true);
    expect(seen.filter((m) => m.topic === 'trunkpilot/hil-gateway/status').pop()?.json).toMatchObject({
      state: 'offline',
      reason: 'shutdown',
    });
    expect(gw.out()).toMatch(/channels left busy\s+0\n/);
    expect(gw.out()).toMatch(/seats left busy\s+0\n/);
  }, 150_000);

  test('SIGKILL at random points, 10 times: each restart takes the campaign up, no attempt lost, none dialled twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gw-crash-'));
    const port = await freePort();
    const site = join(dir, 'site.yaml');
    writeFileSync(site, siteYaml(port, 8));
    const numbers = Array.from({ length: 150 }, (_, i) => `138${String(i).padStart(8, '0')}`);
    writeFileSync(join(dir, 'contacts.csv'), numbers.join('\n') + '\n');
    writeFileSync(
      join(dir, 'campaign.yaml'),
      `id: crash
mode: progressive
trunkGroup: pstn
answerGroup: agents
contacts: contacts.csv
ringSeconds: 10
retries:
  busy: { maxAttempts: 2, delaySeconds: 0.2 }
  no_answer: { maxAttempts: 2, delaySeconds: 0.2 }
  other: { maxAttempts: 3, delaySeconds: 0.2 }
  link_down: { maxAttempts: 3, delaySeconds: 0.2 }
  congestion: { maxAttempts: 1 }
  absent: { maxAttempts: 1 }
  abandoned: { maxAttempts: 1 }
  lost: { maxAttempts: 1 }
  machine: { maxAttempts: 1 }
`,
    );
    const db = join(dir, 'gw.db');
    const offers = join(dir, 'offers.log');
    writeFileSync(offers, '');
    // LD_PRELOAD given here, so the gateway itself (not a re-executing parent) takes the SIGKILL.
    const env = { LD_PRELOAD: fakeDahdiLibraryPath(), TRUNKPILOT_SIM_OFFER_LOG: offers };
    const args = ['--site', site, '--simulate', '--db', db, '--grace', '5'];
    const target = commandTarget(loadSite(site, loadProfiles()).site, 'campaign.show', { password: PASSWORD });
    const ask = async (action: string, a: Record<string, unknown>) => {
      const c = await CommandClient.connect(target, 20_000);
      try {
        return await c.request(action, a);
      } finally {
        await c.close();
      }
    };

    let kills = 0;
    let gw = await startGateway(args, env);
    await ask('campaign.add', { file: join(dir, 'campaign.yaml') });
    await ask('campaign.start', { campaign: 'crash' });
    for (; kills < 10; kills++) {
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1500));
      gw.child.kill('SIGKILL');
      await gw.exited;
      gw = await startGateway(args, env);
      expect(gw.out()).toMatch(/resumed after restart: crash|^ready$/m);
      const state = ((await ask('campaign.show', { campaign: 'crash' })) as { state: string }).state;
      if (state === 'finished') break;
    }
    await until('the campaign to finish', 60_000, async () =>
      ((await ask('campaign.show', { campaign: 'crash' })) as { state: string }).state === 'finished' ? true : undefined,
    );
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(kills).toBe(10);

    const store = new CampaignStore(db);
    try {
      const rows = store.attempts('crash');
      const offered = readFileSync(offers, 'utf8').split('\n').filter(Boolean);
      // Nothing left in flight; every contact finished.
      expect(rows.filter((r) => r.state === 'dialling')).toEqual([]);
      expect(store.openContacts('crash')).toEqual([]);
      for (const n of numbers) {
        const mine = rows.filter((r) => r.number === n);
        const dialled = offered.filter((o) => o === n).length;
        const completed = mine.filter((r) => r.state === 'ended' && r.outcome !== 'no_free_channel').length;
        // Every call the exchange saw has its own attempt row (written before the dial), and no row was dialled twice.
        expect(dialled).toBeLessThanOrEqual(mine.length);
        // Every attempt that ended normally was really dialled.
        expect(dialled).toBeGreaterThanOrEqual(completed);
        expect(mine.length).toBeGreaterThanOrEqual(1);
      }
      // The kills did cut attempts off mid-call, and those were closed as interrupted.
      expect(rows.filter((r) => r.state === 'interrupted').length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 240_000);
});
