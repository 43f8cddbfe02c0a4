/**
 * The campaign store's SQLite work on the two ways Node can reach SQLite: Node's built-in
 * `node:sqlite` and libsqlite3 (Debian) through koffi. Same statements as
 * src/campaign/campaign-store.ts, with every commit synced on the caller's thread (WAL,
 * synchronous=FULL, as the store did before it moved its syncs off the loop): one synced commit per attempt
 * begun, one transaction of two updates per attempt ended, a contact list imported in one
 * transaction, and the open contacts read back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { KoffiSqlite } from './sqlite-koffi';
import { BenchContext, BenchSection } from './bench-table';

/** The part of both APIs the store uses. */
interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: (string | number | null)[]): unknown; all(...params: (string | number | null)[]): unknown[] };
  close(): void;
}

const ENGINES: { name: string; version: () => string; open: (path: string) => Db }[] = [
  {
    name: 'node:sqlite',
    open: (path) => new DatabaseSync(path),
    version: () => String((new DatabaseSync(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v),
  },
  {
    name: 'koffi + libsqlite3',
    open: (path) => new KoffiSqlite(path),
    version: () => String(new KoffiSqlite(':memory:').prepare('SELECT sqlite_version() AS v').get()?.v),
  },
];

const SCHEMA = `
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
CREATE TABLE contacts (id INTEGER PRIMARY KEY, campaign TEXT NOT NULL, number TEXT NOT NULL, fields TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0, last_outcome TEXT);
CREATE INDEX contacts_campaign ON contacts (campaign, done);
CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL, contact_id INTEGER NOT NULL,
  number TEXT NOT NULL, state TEXT NOT NULL, dialled_at INTEGER NOT NULL, outcome TEXT, ended_at INTEGER);
`;

/** Synced commits per workload: each costs an fsync, so a few hundred give a steady rate in a second or two. */
const SYNCED = 300;
const CONTACTS = 20000;

interface Rates {
  beginPerSec: number;
  endPerSec: number;
  importRowsPerSec: number;
  readRowsPerSec: number;
}

function measure(open: (path: string) => Db): Rates {
  const dir = mkdtempSync(join(tmpdir(), 'tp-sqlite-bench-'));
  const db = open(join(dir, 'store.db'));
  try {
    db.exec(SCHEMA);
    const insertContact = db.prepare('INSERT INTO contacts (campaign, number, fields) VALUES (?, ?, ?)');
    const fields = JSON.stringify(['张三', 'Shanghai', 'renewal']);
    let t = performance.now();
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < CONTACTS; i++) insertContact.run('bench', `1390${String(i).padStart(7, '0')}`, fields);
    db.exec('COMMIT');
    const importRowsPerSec = CONTACTS / ((performance.now() - t) / 1000);

    t = performance.now();
    const open = db.prepare('SELECT * FROM contacts WHERE campaign = ? AND done = 0 ORDER BY id').all('bench');
    const readRowsPerSec = open.length / ((performance.now() - t) / 1000);

    // Each attempt is written and synced before its number is dialled...
    const insertAttempt = db.prepare(
      "INSERT INTO attempts (campaign, contact_id, number, state, dialled_at) VALUES (?, ?, ?, 'dialling', ?)",
    );
    t = performance.now();
    for (let i = 1; i <= SYNCED; i++) insertAttempt.run('bench', i, `1390${String(i).padStart(7, '0')}`, Date.now());
    const beginPerSec = SYNCED / ((performance.now() - t) / 1000);

    // ...and closed with its contact in one synced transaction when the call ends.
    const closeAttempt = db.prepare('UPDATE attempts SET state = ?, outcome = ?, ended_at = ? WHERE id = ?');
    const updateContact = db.prepare('UPDATE contacts SET attempts = ?, next_attempt_at = ?, done = ?, last_outcome = ? WHERE id = ?');
    t = performance.now();
    for (let i = 1; i <= SYNCED; i++) {
      db.exec('BEGIN IMMEDIATE');
      closeAttempt.run('ended', 'busy', Date.now(), i);
      updateContact.run(1, Date.now() + 60000, 0, 'busy', i);
      db.exec('COMMIT');
    }
    const endPerSec = SYNCED / ((performance.now() - t) / 1000);
    return { beginPerSec, endPerSec, importRowsPerSec, readRowsPerSec };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ROUNDS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  // Rounds alternate between the engines so a busy disk or CPU weighs on both alike.
  const rounds: Rates[][] = ENGINES.map(() => []);
  for (let r = 1; r <= ROUNDS; r++) {
    ENGINES.forEach((e, i) => {
      ctx?.step(`round ${r}/${ROUNDS}, ${e.name}`);
      rounds[i].push(measure(e.open));
    });
  }
  const results = ENGINES.map((e, i) => ({
    name: e.name,
    sqlite: e.version(),
    beginPerSec: median(rounds[i].map((x) => x.beginPerSec)),
    endPerSec: median(rounds[i].map((x) => x.endPerSec)),
    importRowsPerSec: median(rounds[i].map((x) => x.importRowsPerSec)),
    readRowsPerSec: median(rounds[i].map((x) => x.readRowsPerSec)),
    rounds: rounds[i],
  }));
  const [builtin, koffi] = results;
  const ratio = (k: keyof Rates) => (builtin[k] / koffi[k]).toFixed(2);
  const row = (label: string, k: keyof Rates) => [label, builtin[k], koffi[k], ratio(k)];
  return [
    {
      title: `SQLite for the campaign store (WAL, synchronous=FULL): node:sqlite ${builtin.sqlite} vs koffi + libsqlite3 ${koffi.sqlite}`,
      columns: ['work (per second)', 'node:sqlite', 'koffi + libsqlite3', 'node:sqlite / koffi'],
      rows: [
        row(`attempts begun (1 synced INSERT each, ${SYNCED})`, 'beginPerSec'),
        row(`attempts ended (1 synced txn of 2 UPDATEs, ${SYNCED})`, 'endPerSec'),
        row(`contacts imported (one txn, ${CONTACTS} rows)`, 'importRowsPerSec'),
        row(`open contacts read (${CONTACTS} rows)`, 'readRowsPerSec'),
      ],
      figures: { node: process.version, synced: SYNCED, contacts: CONTACTS, results },
      notes: [
        `median of ${ROUNDS} alternating rounds; synced rows are bound by fsync on this disk, the others by the cost of each call into SQLite`,
      ],
    },
  ];
}
