/**
 * One contract, two stores: everything the gateway relies on of its campaign
 * store holds for the embedded SQLite file and for the shared PostgreSQL server
 * (a real one, started in a temporary directory).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServer } from '../../test-support/postgres/postgres-server';
import { Clock, systemClock } from '../core/clock';
import { resultsCsv } from '../runtime/campaign-export';
import { CampaignStore } from './campaign-store';
import { CampaignStorage, ContactSourceRules, StoredContacts } from './campaign-storage';
import { Contact } from './contact-list';
import { PgCampaignStore } from './pg-campaign-store';

interface StoreKind {
  name: string;
  /** A fresh, empty store; `crashable` ones can later be reopened as another gateway (a restart, or a second gateway). */
  open(): Promise<{ store: CampaignStorage; reopen(): Promise<CampaignStorage>; crash(): Promise<void> }>;
}

let pg: PostgresServer;
let dbSeq = 0;
const opened: CampaignStorage[] = [];

beforeAll(async () => {
  pg = await PostgresServer.start({ unsafeFast: true });
}, 30_000);
afterAll(async () => {
  for (const s of opened)
    try {
      await s.close();
    } catch {
      // Closed already (a crash closed it).
    }
  await pg?.close();
});

const sqlite: StoreKind = {
  name: 'SQLite',
  async open() {
    const path = join(mkdtempSync(join(tmpdir(), 'tp-contract-')), 'c.db');
    const store = track(new CampaignStore(path));
    return {
      store,
      reopen: async () => track(new CampaignStore(path)),
      // The process ends: what was committed stays in the file.
      crash: async () => store.close(),
    };
  },
};

const LEASE_MS = 1500;
const postgres: StoreKind = {
  name: 'PostgreSQL',
  async open() {
    const url = pg.createDatabase(`contract${++dbSeq}`);
    // The first gateway's heartbeat can be stopped, as a SIGKILL stops it: dead once LEASE_MS has passed.
    let alive = true;
    const clock: Clock = { now: () => Date.now(), setTimer: (ms, fn) => systemClock.setTimer(ms, () => alive && fn()) };
    const store = await PgCampaignStore.open(url, { gateway: 'gw-a', clock, leaseTimeoutMs: LEASE_MS });
    opened.push(store);
    return {
      store,
      reopen: async () => track(await PgCampaignStore.open(url, { gateway: 'gw-b', clock: systemClock, leaseTimeoutMs: LEASE_MS })),
      crash: async () => {
        alive = false;
        await new Promise((r) => setTimeout(r, LEASE_MS + 300));
      },
    };
  },
};

function track(s: CampaignStorage): CampaignStorage {
  opened.push(s);
  return s;
}

const RULES: ContactSourceRules = { retryRules: { no_answer: { maxAttempts: 3, delaySec: 60 }, other: { maxAttempts: 2, delaySec: 600 } } };

/** Takes what the source will hand out now, as a campaign does (a shared store leases in the background). */
async function takeAvailable(src: StoredContacts, now: number, max = 100): Promise<Contact[]> {
  const got: Contact[] = [];
  for (let misses = 0; got.length < max && misses < 4;) {
    const c = src.take(now);
    if (c) {
      got.push(c);
      misses = 0;
    } else {
      misses++;
      await new Promise((r) => setTimeout(r, 40));
    }
  }
  return got;
}

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ number: `1380000${String(from + i).padStart(4, '0')}`, fields: [`name ${i}`], line: i + 2 }));

describe.each([sqlite, postgres])('campaign store contract: $name', (kind) => {
  test('a campaign, its list, its blacklist and its state are kept', async () => {
    const { store } = await kind.open();
    await store.addContacts('c1', rows(3));
    await store.addSkippedContacts('c1', [{ number: '13999999999', fields: [], line: 9 }], 'blacklisted');
    await store.saveBlacklist('c1', ['13999999999']);
    await store.saveCampaignDef('c1', { id: 'c1', mode: 'predictive' }, 'ready', [], { accepted: 3 }, 1000);
    await store.setCampaignState('c1', 'running', 2000);
    const defs = await store.campaignDefs();
    expect(defs).toEqual([
      {
        id: 'c1',
        spec: { id: 'c1', mode: 'predictive' },
        state: 'running',
        needs: [],
        importReport: { accepted: 3 },
        addedAt: 1000,
        updatedAt: 2000,
      },
    ]);
    expect(await store.contactCounts('c1')).toEqual({ total: 4, done: 1 });
    expect(await store.blacklist('c1')).toEqual(['13999999999']);
    // Rows of a campaign nobody lists (a crash mid-add) are cleared; listed ones are not.
    await store.addContacts('half-added', rows(2));
    expect(await store.discardUnlistedContacts('half-added')).toBe(2);
    expect(await store.discardUnlistedContacts('c1')).toBe(0);
  });

  test('each attempt is recorded before it is handed out to dial, and its outcome finishes the number', async () => {
    const { store } = await kind.open();
    await store.addContacts('c2', rows(3));
    await store.saveCampaignDef('c2', {}, 'running', [], null, 0);
    const now = Date.now();
    const src = await store.contactSource('c2', RULES, now);
    const taken = await takeAvailable(src, now);
    expect(taken.map((c) => c.number)).toEqual(rows(3).map((r) => r.number));
    for (const c of taken) await src.recorded?.(c);
    const before = await store.attempts('c2');
    expect(before.map((a) => [a.number, a.state])).toEqual(taken.map((c) => [c.number, 'dialling']));
    src.settle(taken[0], 'connected', now + 10);
    src.details({
      contactId: taken[0].id,
      number: taken[0].number,
      test: false,
      outcome: 'connected',
      cause: 16,
      causeText: '',
      seatId: 's1',
      dialledAt: now,
      answeredAt: now + 5,
      endedAt: now + 10,
    });
    src.settle(taken[1], 'no_answer', now + 10);
    src.settle(taken[2], 'abandoned', now + 10);
    await src.release();
    const after = await store.attempts('c2');
    expect(after.map((a) => [a.number, a.state, a.outcome])).toEqual([
      [taken[0].number, 'ended', 'connected'],
      [taken[1].number, 'ended', 'no_answer'],
      [taken[2].number, 'ended', 'abandoned'],
    ]);
    expect(after[0].seat).toBe('s1');
    // Connected and abandoned (no retry rule for it here) are finished; no_answer is retried.
    expect(await store.contactCounts('c2')).toEqual({ total: 3, done: 2 });
    const stats = await store.gatewayStats('c2');
    expect(stats.reduce((n, s) => n + s.abandoned, 0)).toBe(1);
    expect(stats.reduce((n, s) => n + s.dialled, 0)).toBe(3);
    // The results export reads either store the same way.
    const csv = resultsCsv(await store.allContacts('c2'), await store.attempts('c2'));
    expect(csv.split('\n')[1]).toContain(`${taken[0].number},connected,16,1,s1`);
    // The one not reached comes back after its retry delay, not before.
    expect(await takeAvailable(src, now + 30_000)).toEqual([]);
    expect((await takeAvailable(src, now + 61_000)).map((c) => c.number)).toEqual([taken[1].number]);
  });

  test('attempts left in flight by a dead gateway are closed as interrupted and their numbers retried, never redialled as themselves', async () => {
    const { store, reopen, crash } = await kind.open();
    await store.addContacts('c3', rows(2));
    await store.saveCampaignDef('c3', {}, 'running', [], null, 0);
    const now = Date.now();
    const first = await store.contactSource('c3', RULES, now);
    const [cut] = await takeAvailable(first, now, 1);
    await first.recorded?.(cut);
    await crash();
    const other = await reopen();
    const later = now + 1000;
    const second = await other.contactSource('c3', RULES, later);
    // Only the number nobody had is dialled now; the interrupted one waits for its retry ('other': 600 s).
    const now2 = await takeAvailable(second, later);
    expect(now2.map((c) => c.number)).toEqual([rows(2)[1].number]);
    const attempts = await other.attempts('c3');
    const cutRows = attempts.filter((a) => a.number === cut.number);
    expect(cutRows.map((a) => [a.state, a.outcome])).toEqual([['interrupted', 'other']]);
    expect((await takeAvailable(second, later + 601_000)).map((c) => c.number)).toEqual([cut.number]);
    await second.release();
  });

  test('per-callee caps hold: a number within its cap waits until the cap allows it', async () => {
    const { store } = await kind.open();
    // The same person is in two campaigns: at most one call in any 5 minutes, whichever campaign.
    const same = [{ number: '13800000001' }];
    await store.addContacts('c4', same);
    await store.addContacts('c5', same);
    for (const c of ['c4', 'c5']) await store.saveCampaignDef(c, {}, 'running', [], null, 0);
    const rules: ContactSourceRules = { ...RULES, calleeCaps: { maxPer5min: 1 } };
    const now = Date.now();
    const a = await store.contactSource('c4', rules, now);
    const [call] = await takeAvailable(a, now);
    a.settle(call, 'no_answer', now + 1000);
    await a.release();
    const b = await store.contactSource('c5', rules, now + 2000);
    expect(await takeAvailable(b, now + 2000)).toEqual([]);
    expect((await takeAvailable(b, now + 300_001)).map((c) => c.number)).toEqual(['13800000001']);
    await b.release();
  });
});
