/**
 * The PostgreSQL campaign store's schema, as numbered migrations. Each runs once,
 * in its own transaction, and is recorded in schema_migrations; gateways that
 * start together take an advisory lock so only one of them migrates. A migration
 * is never edited once released: a change is a new one at the end.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'campaigns, contacts, attempts, gateways',
    sql: `
CREATE TABLE campaign_defs (
  id TEXT PRIMARY KEY, spec JSONB NOT NULL, state TEXT NOT NULL, needs JSONB NOT NULL, import_report JSONB,
  added_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE contacts (
  id BIGSERIAL PRIMARY KEY, campaign TEXT NOT NULL, number TEXT NOT NULL, fields JSONB NOT NULL, line INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL DEFAULT 0, done BOOLEAN NOT NULL DEFAULT false,
  last_outcome TEXT, preferred_seat TEXT,
  -- The gateway instance dialling it now, and that attempt: a lease, taken over when the instance stops beating.
  leased_by TEXT, leased_attempt BIGINT);
CREATE INDEX contacts_due ON contacts (campaign, next_attempt_at, id) WHERE NOT done AND leased_by IS NULL;
CREATE INDEX contacts_leased ON contacts (campaign) WHERE leased_by IS NOT NULL;
CREATE INDEX contacts_number ON contacts (campaign, number);
CREATE TABLE attempts (
  id BIGSERIAL PRIMARY KEY, campaign TEXT NOT NULL, contact_id BIGINT NOT NULL, number TEXT NOT NULL, gateway TEXT NOT NULL,
  state TEXT NOT NULL, dialled_at BIGINT NOT NULL, outcome TEXT, cause INTEGER, keys TEXT, seat TEXT,
  answered_at BIGINT, ended_at BIGINT, wait_ms INTEGER);
CREATE INDEX attempts_campaign ON attempts (campaign, id);
CREATE INDEX attempts_number ON attempts (number, dialled_at);
CREATE INDEX attempts_dialled ON attempts (dialled_at);
CREATE TABLE gateways (
  instance TEXT PRIMARY KEY, name TEXT NOT NULL, started_at BIGINT NOT NULL, seen_at BIGINT NOT NULL, left_at BIGINT);
`,
  },
  {
    version: 2,
    name: 'blacklists and pacer models',
    sql: `
CREATE TABLE campaign_blacklists (campaign TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (campaign, number));
CREATE TABLE pacer_models (
  campaign TEXT NOT NULL, hour INTEGER NOT NULL, saved_at BIGINT NOT NULL, model JSONB NOT NULL, PRIMARY KEY (campaign, hour));
`,
  },
  {
    version: 3,
    name: "where a connected call's recording went",
    sql: `ALTER TABLE attempts ADD COLUMN recording TEXT;`,
  },
  {
    version: 4,
    name: 'privacy-number bindings A-X-B, shared by the gateways',
    sql: `
CREATE TABLE privacy_bindings (
  x TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, mode TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX privacy_bindings_expiry ON privacy_bindings (expires_at);`,
  },
  {
    version: 5,
    name: "each SIM's calls per local day (a GSM module's daily cap survives a restart)",
    sql: `CREATE TABLE sim_calls (iccid TEXT NOT NULL, day TEXT NOT NULL, calls INTEGER NOT NULL, PRIMARY KEY (iccid, day));`,
  },
];
