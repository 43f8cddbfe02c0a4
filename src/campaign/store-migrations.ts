import { DatabaseSync } from 'node:sqlite';

/**
 * Changes to the store's schema after its first shape (campaign-store.ts SCHEMA),
 * in order. The database's `PRAGMA user_version` says how many have been applied;
 * opening a store applies the rest, each in one transaction with its version bump,
 * so an old file gains the new tables and keeps every row it had.
 */
export interface StoreMigration {
  version: number;
  why: string;
  sql: string;
}

export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    why: 'privacy-number bindings A-X-B (src/privacy), and finding the agent who last talked to a number (inbound callbacks)',
    sql: `
CREATE TABLE IF NOT EXISTS privacy_bindings (
  x TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, mode TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS privacy_bindings_expiry ON privacy_bindings (expires_at);
CREATE INDEX IF NOT EXISTS attempts_number ON attempts (number, answered_at);`,
  },
  {
    version: 2,
    why: "where a connected call's recording went (src/voice/call-recorder.ts), kept with its attempt",
    sql: 'ALTER TABLE attempts ADD COLUMN recording TEXT;',
  },
  {
    version: 3,
    why: "a campaign's blacklist kept with it (the PostgreSQL store shares it with gateways that lack the file)",
    sql: `CREATE TABLE IF NOT EXISTS campaign_blacklists (campaign TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (campaign, number));`,
  },
  {
    version: 4,
    why: "each SIM's calls per local day, so a GSM module's daily cap survives a restart",
    sql: `CREATE TABLE IF NOT EXISTS sim_calls (iccid TEXT NOT NULL, day TEXT NOT NULL, calls INTEGER NOT NULL, PRIMARY KEY (iccid, day));`,
  },
];

/** The schema version a store opened by this code has. */
export const STORE_SCHEMA_VERSION = STORE_MIGRATIONS[STORE_MIGRATIONS.length - 1].version;

/** Applies the migrations the file has not had yet; returns the versions applied. */
export function migrateStore(db: DatabaseSync): number[] {
  const at = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  const applied: number[] = [];
  for (const m of STORE_MIGRATIONS) {
    if (m.version <= at) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
    applied.push(m.version);
  }
  return applied;
}
