/**
 * The shared campaign store under several gateways: attempts per second through
 * PostgreSQL (a real server in a temporary directory, fsync and synchronous
 * commit on, as in production) with 1, 2 and 4 gateways (each its own
 * PgCampaignStore and connection pool) working one campaign, and the embedded
 * SQLite store with one gateway for scale. Each gateway runs 30 channels (one
 * E1) that do nothing but the store's part of a call: take a contact (the lease,
 * caps checked, attempt inserted), mark it dialling (committed before the dial),
 * settle it (the outcome). No line time: this is the store's ceiling, far above
 * what the spans behind it can dial.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock';
import { CampaignStore } from '../src/campaign/campaign-store';
import { CampaignStorage, ContactSourceRules, StoredContacts } from '../src/campaign/campaign-storage';
import { PgCampaignStore } from '../src/campaign/pg-campaign-store';
import { PostgresServer } from './postgres-server';
import { BenchContext, BenchSection } from './bench-table';

const CHANNELS = 30;
const RUN_MS = 3000;
const CONTACTS = 20_000;
const RULES: ContactSourceRules = { retryRules: {}, calleeCaps: { maxPer24h: 3 } };

interface Result {
  gateways: number;
  store: string;
  attempts: number;
  seconds: number;
  perSec: number;
  /** Median time from take to 'dialling' committed (ms). */
  recordMs: number;
}

async function runChannels(src: StoredContacts, until: number, latencies: number[]): Promise<number> {
  let n = 0;
  while (Date.now() < until) {
    const c = src.take(Date.now());
    if (!c) {
      if (src.remaining() === 0) break;
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    const t0 = performance.now();
    await src.recorded?.(c);
    latencies.push(performance.now() - t0);
    src.settle(c, 'connected', Date.now());
    n++;
  }
  return n;
}

async function measure(label: string, stores: CampaignStorage[], campaign: string): Promise<Result> {
  const sources = await Promise.all(stores.map((s) => s.contactSource(campaign, RULES, Date.now())));
  const latencies: number[] = [];
  const t0 = Date.now();
  const until = t0 + RUN_MS;
  const counts = await Promise.all(sources.flatMap((src) => Array.from({ length: CHANNELS }, () => runChannels(src, until, latencies))));
  // Every outcome written before the clock stops.
  await Promise.all(sources.map((s) => s.release()));
  const seconds = (Date.now() - t0) / 1000;
  const attempts = counts.reduce((a, b) => a + b, 0);
  latencies.sort((a, b) => a - b);
  return {
    gateways: stores.length,
    store: label,
    attempts,
    seconds,
    perSec: attempts / seconds,
    recordMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
  };
}

const numbers = (campaign: number) =>
  Array.from({ length: CONTACTS }, (_, i) => ({ number: `13${campaign}${String(i).padStart(8, '0')}`.slice(0, 11) }));

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tp-store-bench-'));
  try {
    ctx?.step('SQLite, 1 gateway');
    const sqlite = new CampaignStore(join(dir, 'c.db'));
    sqlite.addContacts('bench', numbers(0));
    sqlite.saveCampaignDef('bench', {}, 'running', [], null, 0);
    results.push(await measure('SQLite (embedded)', [sqlite], 'bench'));
    sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  ctx?.step('starting PostgreSQL');
  const server = await PostgresServer.start({ maxConnections: 80 });
  try {
    const url = server.createDatabase('bench');
    for (const [i, g] of [1, 2, 4].entries()) {
      ctx?.step(`PostgreSQL, ${g} gateway(s)`);
      const stores = await Promise.all(
        Array.from({ length: g }, (_, k) => PgCampaignStore.open(url, { gateway: `gw${k + 1}`, clock: systemClock })),
      );
      const campaign = `bench${g}`;
      await stores[0].addContacts(campaign, numbers(i + 1));
      await stores[0].saveCampaignDef(campaign, {}, 'running', [], null, 0);
      results.push(await measure('PostgreSQL (shared)', stores, campaign));
      for (const s of stores) await s.close();
    }
  } finally {
    await server.close();
  }

  return [
    {
      title: `Campaign store: attempts per second (lease + caps check, 'dialling' committed, outcome) with ${CHANNELS} channels per gateway, ${RUN_MS / 1000} s each`,
      columns: ['store', 'gateways', 'attempts', 'attempts/s', 'take->dialling committed, median ms'],
      rows: results.map((r) => [r.store, r.gateways, r.attempts, r.perSec, r.recordMs]),
      figures: { channelsPerGateway: CHANNELS, runMs: RUN_MS, results },
      notes: [
        'PostgreSQL runs with fsync and synchronous_commit on; each gateway is its own store client (pool of 8 connections).',
        "SQLite's attempts are committed at once and made durable by a group fdatasync (its own design, one gateway only).",
      ],
    },
  ];
}
