/**
 * A centre of three gateways on one PostgreSQL store: three `trunkpilot run
 * --simulate --store postgres://...` processes (each its own userspace DAHDI,
 * exchange and agents) work one campaign. The campaign is added through one
 * gateway and started through another; the third joins while it runs and is
 * SIGKILLed mid-campaign. The others finish its numbers; every number is dialled
 * once per attempt, the per-callee cap holds across gateways, nothing is left in
 * flight. The PostgreSQL server is real, started in a temporary directory (as
 * `nobody` when the tests run as root).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Client } from 'pg';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { loadProfiles } from '../src/provisioning/board-profile';
import { loadSite } from '../src/provisioning/site-config';
import { CommandClient, commandTarget } from '../src/runtime/command-client';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { PostgresServer } from '../test-support/postgres/postgres-server';
import { GatewayChild, ROOT, startGateway, until } from '../test-support/runtime/gateway-child';
import { freePort } from '../test-support/telemetry/ports';

const USER = 'boss';
const PASSWORD = 'secret-pw-2';
const HASH = hashPassword(PASSWORD);

function siteYaml(port: number): string {
  return `version: 1
site: centre-member
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: 4 }
answerGroups: [ { name: agents, strategy: memory, seats: 1-4 } ]
callerIdPool: ["075512345678"]
telemetry:
  mqttPort: ${port}
  dashboardPort: false
  users: { ${USER}: { role: operator, password_scrypt: "${HASH}" } }
  commands: { ${USER}: ["campaign.*"] }
simulation:
  seed: 5
  callees: { ringSec: { dist: fixed, value: 0.2 }, talkSec: { dist: lognormal, median: 0.8, sigma: 0.3 }, noAnswerSec: 0.5 }
  agents: { wrapSec: { dist: fixed, value: 0.2 } }
`;
}

interface Member extends GatewayChild {
  name: string;
  site: string;
  offers: string;
}

async function startMember(dir: string, name: string, storeUrl: string): Promise<Member> {
  const site = join(dir, `${name}.yaml`);
  writeFileSync(site, siteYaml(await freePort()));
  const offers = join(dir, `${name}-offers.log`);
  writeFileSync(offers, '');
  const gateway = await startGateway(
    ['--site', site, '--simulate', '--gateway', name, '--store', storeUrl, '--lease-timeout', '3', '--grace', '5'],
    // LD_PRELOAD given here, so the gateway itself (not a re-executing parent) takes the SIGKILL.
    { LD_PRELOAD: fakeDahdiLibraryPath(), TRUNKPILOT_SIM_OFFER_LOG: offers },
  );
  return { name, site, offers, ...gateway };
}

async function ask(m: Member, action: string, args: Record<string, unknown>): Promise<unknown> {
  const target = commandTarget(loadSite(m.site, loadProfiles()).site, action, { password: PASSWORD, user: USER, gateway: m.name });
  const c = await CommandClient.connect(target, 20_000);
  try {
    return await c.request(action, args);
  } finally {
    await c.close();
  }
}

const offered = (m: Member) => readFileSync(m.offers, 'utf8').split('\n').filter(Boolean);

describe('several gateways, one PostgreSQL campaign store', () => {
  let pg: PostgresServer;
  const members: Member[] = [];
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) || !existsSync(fakeDahdiLibraryPath()))
      throw new Error('dist/ or build/libfakedahdi.so is missing: run scripts/setup (npm test does)');
    pg = await PostgresServer.start({ unsafeFast: true });
  }, 30_000);
  afterAll(async () => {
    for (const m of members) if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
    await pg?.close();
  });

  test('three gateways share a campaign; one joins late and is SIGKILLed; pause and resume from any gateway hold on all; the others finish its numbers, each dialled once per attempt, caps held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-centre-'));
    const url = pg.createDatabase('centre');
    const numbers = Array.from({ length: 120 }, (_, i) => `137${String(i).padStart(8, '0')}`);
    writeFileSync(join(dir, 'contacts.csv'), numbers.join('\n') + '\n');
    writeFileSync(join(dir, 'blacklist.txt'), `${numbers[7]}\n${numbers[70]}\n`);
    writeFileSync(
      join(dir, 'campaign.yaml'),
      `id: centre
mode: progressive
trunkGroup: pstn
answerGroup: agents
contacts: contacts.csv
blacklist: [blacklist.txt]
maxConcurrency: 8
ringSeconds: 10
retries:
  busy: { maxAttempts: 3, delaySeconds: 0.3 }
  no_answer: { maxAttempts: 3, delaySeconds: 0.3 }
  other: { maxAttempts: 3, delaySeconds: 0.3 }
  link_down: { maxAttempts: 3, delaySeconds: 0.3 }
  congestion: { maxAttempts: 1 }
  absent: { maxAttempts: 1 }
  abandoned: { maxAttempts: 1 }
  lost: { maxAttempts: 1 }
  machine: { maxAttempts: 1 }
calleeCaps: { maxPer24h: 2, localHours: "00:00-24:00" }
`,
    );
    const [gw1, gw2] = await Promise.all([startMember(dir, 'gw1', url), startMember(dir, 'gw2', url)]);
    members.push(gw1, gw2);
    // Added through one gateway, started through another: the store is the centre's.
    expect(await ask(gw1, 'campaign.add', { file: join(dir, 'campaign.yaml') })).toMatchObject({
      campaign: { id: 'centre', state: 'ready' },
    });
    await until('gw2 to know the campaign', 10_000, async () =>
      ((await ask(gw2, 'campaign.list', {})) as { id: string }[]).some((c) => c.id === 'centre') ? true : undefined,
    );
    expect(await ask(gw2, 'campaign.start', { campaign: 'centre' })).toMatchObject({ state: 'running' });
    // gw1 follows the store and dials too, without a restart; gw3 starts while the campaign runs and joins it.
    await until('gw1 to dial', 15_000, async () => (offered(gw1).length > 0 ? true : undefined));
    const gw3 = await startMember(dir, 'gw3', url);
    members.push(gw3);
    await until('gw3 to dial a few', 20_000, async () => (offered(gw3).length >= 6 ? true : undefined));
    gw3.child.kill('SIGKILL');
    await gw3.exited;

    // Paused through gw1: gw2 follows within a second and dials nothing new; resumed through gw2, both dial again.
    expect(await ask(gw1, 'campaign.pause', { campaign: 'centre' })).toMatchObject({ state: 'paused' });
    await new Promise((r) => setTimeout(r, 2000));
    const whilePaused = [gw1, gw2].map((m) => offered(m).length);
    await new Promise((r) => setTimeout(r, 1500));
    expect([gw1, gw2].map((m) => offered(m).length)).toEqual(whilePaused);
    expect(await ask(gw2, 'campaign.show', { campaign: 'centre' })).toMatchObject({ state: 'paused' });
    expect(await ask(gw2, 'campaign.resume', { campaign: 'centre' })).toMatchObject({ state: 'running' });
    await until('both to dial again', 10_000, async () =>
      [gw1, gw2].every((m, i) => offered(m).length > whilePaused[i]) ? true : undefined,
    );
    // Settled: every number finished, or held back by its cap (two calls in 24 h) though its retry rule allows a third.
    const db = new Client({ connectionString: url });
    await db.connect();
    await until('every number to be settled', 60_000, async () => {
      const r = await db.query(
        `SELECT COUNT(*) FILTER (WHERE leased_by IS NOT NULL OR (NOT done AND next_attempt_at < $1)) AS open FROM contacts`,
        [Date.now() + 3_600_000],
      );
      return Number(r.rows[0].open) === 0 ? true : undefined;
    });
    await until('calls to end', 10_000, async () => {
      const views = await Promise.all(
        [gw1, gw2].map((m) => ask(m, 'campaign.show', { campaign: 'centre' }) as Promise<{ activeCalls: number }>),
      );
      return views.every((v) => v.activeCalls === 0) ? true : undefined;
    });
    // Statistics per gateway and in total: gw3's calls count too, though it is gone.
    const show = (await ask(gw2, 'campaign.show', { campaign: 'centre' })) as {
      gateways: { gateway: string; dialled: number; abandoned: number }[];
      abandonment: number;
    };
    expect(show.gateways.map((g) => g.gateway)).toEqual(['gw1', 'gw2', 'gw3']);
    expect(show.gateways.every((g) => g.dialled > 0)).toBe(true);
    expect(show.abandonment).toBeGreaterThanOrEqual(0);
    // gw1's pacing telemetry: its own abandonment, and the centre's over every gateway.
    const port = Number(/mqttPort: (\d+)/.exec(readFileSync(gw1.site, 'utf8'))![1]);
    const watch = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, username: USER, password: PASSWORD });
    const pacing = await new Promise<Record<string, unknown>>((resolve) => {
      watch.on('message', (_t, payload) => resolve(JSON.parse(payload.toString())));
      void watch.subscribeAsync('trunkpilot/gw1/campaigns/centre/pacing');
    });
    await watch.endAsync(true);
    expect(pacing).toMatchObject({ campaign: 'centre', abandonment: expect.any(Number), centreAbandonment: show.abandonment });
    for (const m of [gw1, gw2]) m.child.kill('SIGTERM');
    for (const m of [gw1, gw2]) expect(await m.exited).toEqual({ code: 0, signal: null });

    try {
      const attempts = (await db.query('SELECT number, gateway, state, outcome, contact_id FROM attempts ORDER BY id')).rows;
      const contacts = (await db.query('SELECT number, done, last_outcome, leased_by FROM contacts')).rows;
      // Nothing left leased or in flight; every number finished or waiting for its cap.
      expect(attempts.filter((a) => a.state === 'dialling' || a.state === 'leased')).toEqual([]);
      expect(contacts.filter((c) => c.leased_by !== null)).toEqual([]);
      expect(contacts.filter((c) => c.done).length).toBeGreaterThan(60);
      // The killed gateway left calls in flight: closed as interrupted and finished by the others.
      const cut = attempts.filter((a) => a.state === 'interrupted');
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.every((a) => a.gateway === 'gw3')).toBe(true);
      const byGateway = new Set(attempts.map((a) => a.gateway));
      expect([...byGateway].sort()).toEqual(['gw1', 'gw2', 'gw3']);
      const dials = [gw1, gw2, gw3].flatMap(offered);
      for (const n of numbers) {
        const mine = attempts.filter((a) => a.number === n);
        const dialled = dials.filter((d) => d === n).length;
        const completed = mine.filter((a) => a.state === 'ended' && a.outcome !== 'no_free_channel').length;
        // Every dial of any gateway has its own attempt row, and no attempt was dialled twice (nor by two gateways).
        expect(dialled).toBeLessThanOrEqual(mine.length);
        expect(dialled).toBeGreaterThanOrEqual(completed);
        // The cap (2 in 24 h) holds across gateways, though the retry rules would allow 3.
        expect(mine.length).toBeLessThanOrEqual(2);
      }
      // And the cap did bind: numbers called twice wait a day for the third call their rule allows.
      expect(contacts.some((c) => !c.done && attempts.filter((a) => a.number === c.number).length === 2)).toBe(true);
      // The blacklist holds on every gateway: never dialled.
      for (const n of [numbers[7], numbers[70]]) {
        expect(dials).not.toContain(n);
        expect(contacts.find((c) => c.number === n)?.last_outcome).toBe('blacklisted');
      }
    } finally {
      await db.end();
    }
  }, 120_000);
});
