/**
 * (Over 400 lines: the store is one contract's methods, each a short SQL statement
 * laid out on several lines; the lease is the one long part.)
 *
 * Campaigns, contacts, attempts and outcomes in PostgreSQL, shared by every
 * gateway of a centre (the CampaignStorage contract; CampaignStore is the
 * embedded SQLite one).
 *
 * A gateway leases the next due contacts of a campaign in one transaction
 * (`FOR UPDATE SKIP LOCKED`: two gateways never get the same row, and neither
 * waits for the other), checks each number's per-callee caps and cool-down under
 * an advisory lock on the number (so the check and the dial it admits are one
 * step for every gateway, over every campaign), and inserts the attempt row in
 * that same transaction ('leased'). Before the number is dialled the attempt is
 * marked 'dialling' (committed): a lease that never got that far did not happen
 * and is simply given back.
 *
 * Each gateway instance beats in `gateways`; leases of an instance that has not
 * beaten for `leaseTimeoutMs` (database time, so gateways' clocks may differ) are
 * taken over by the next lease of any gateway: their attempts are closed as
 * interrupted and the retry rules say when the number is called again (leased,
 * never dialled: given back as they were). So no
 * number is dialled twice for one attempt and none is lost. An outcome is written
 * only while its attempt is still in flight: a gateway that was presumed dead
 * cannot overwrite what the others did since.
 */
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Clock, TimerHandle } from '../core/clock';
import { TrunkpilotError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { CalleeCaps } from './callee-caps';
import { CampaignDefRow, CampaignStorage, ContactRowInput, ContactSourceRules, GatewayCampaignStats } from './campaign-storage';
import { Contact, ContactList } from './contact-list';
import { LeasedContacts } from './leased-contacts';
import { AttemptRecord } from './outbound-campaign';
import { MIGRATIONS } from './pg-migrations';
import { AttemptOutcome } from './retry-rules';

/** The database's clock in ms: leases are judged by one clock, whatever the gateways' say. */
const DB_NOW = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** Any constant: the key of the advisory lock migrations run under. */
const MIGRATION_LOCK = 7_346_120;
const DAY_MS = 86_400_000;
/** Most contacts one lease hands out. */
const MAX_LEASE = 64;

/** The server refused or could not be reached: names the server (never its password) and what was being done. */
export class PgStoreError extends TrunkpilotError {
  constructor(
    readonly where: string,
    readonly doing: string,
    cause: unknown,
  ) {
    const said = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    super('STORAGE_FAILED', `campaign store ${where}: ${doing} failed: ${said}`);
  }
}

export interface PgCampaignStoreOptions {
  /** This gateway's name: attempts and statistics carry it. */
  gateway: string;
  clock: Clock;
  logger?: Logger;
  /** A gateway that has not beaten for this long is taken for dead and its leases are taken over. Default 30 s. */
  leaseTimeoutMs?: number;
  /** Connections this gateway keeps (default 8). */
  poolSize?: number;
}

/** `postgres://user:secret@host/db` -> `postgres://user@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

export class PgCampaignStore implements CampaignStorage {
  readonly shared = true;
  /** This process's lease holder id (a restarted gateway is a new instance; its old leases time out). */
  readonly instance = randomUUID();
  readonly leaseTimeoutMs: number;
  private heartbeat: TimerHandle | undefined;
  private lastBeatOkAt: number;
  private closed = false;
  private readonly logger: Logger;

  private constructor(
    private readonly pool: Pool,
    readonly where: string,
    private readonly opts: PgCampaignStoreOptions,
  ) {
    this.leaseTimeoutMs = opts.leaseTimeoutMs ?? 30_000;
    this.logger = opts.logger ?? silentLogger;
    this.lastBeatOkAt = opts.clock.now();
  }

  get gateway(): string {
    return this.opts.gateway;
  }

  /** Connects, brings the schema up to date, and registers this gateway instance. */
  static async open(url: string, opts: PgCampaignStoreOptions): Promise<PgCampaignStore> {
    const where = redactUrl(url);
    const pool = new Pool({ connectionString: url, max: opts.poolSize ?? 8, connectionTimeoutMillis: 10_000 });
    // An idle connection the server drops is an error on the pool; the next query opens another.
    pool.on('error', (err) => (opts.logger ?? silentLogger).warn('campaign store connection lost', { store: where, err: err.message }));
    const store = new PgCampaignStore(pool, where, opts);
    try {
      await store.migrate();
      await store.query(
        'registering this gateway',
        `INSERT INTO gateways (instance, name, started_at, seen_at) VALUES ($1, $2, ${DB_NOW}, ${DB_NOW})`,
        [store.instance, opts.gateway],
      );
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    store.beat();
    return store;
  }

  /** Versions applied, oldest first. */
  async schemaVersions(): Promise<number[]> {
    const r = await this.query('reading the schema version', 'SELECT version FROM schema_migrations ORDER BY version');
    return r.rows.map((x) => Number(x.version));
  }

  async campaignDefs(): Promise<CampaignDefRow[]> {
    const r = await this.query('reading campaigns', 'SELECT * FROM campaign_defs ORDER BY added_at, id');
    return r.rows.map((x) => ({
      id: String(x.id),
      spec: x.spec,
      state: String(x.state),
      needs: x.needs as string[],
      importReport: x.import_report,
      addedAt: Number(x.added_at),
      updatedAt: Number(x.updated_at),
    }));
  }

  async saveCampaignDef(id: string, spec: unknown, state: string, needs: string[], importReport: unknown, at: number): Promise<void> {
    await this.query(
      'adding a campaign',
      'INSERT INTO campaign_defs (id, spec, state, needs, import_report, added_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
      [id, JSON.stringify(spec), state, JSON.stringify(needs), JSON.stringify(importReport ?? null), at],
    );
  }

  async setCampaignState(id: string, state: string, at: number, needs?: string[]): Promise<void> {
    if (needs)
      await this.query('recording a campaign state', 'UPDATE campaign_defs SET state = $1, needs = $2, updated_at = $3 WHERE id = $4', [
        state,
        JSON.stringify(needs),
        at,
        id,
      ]);
    else
      await this.query('recording a campaign state', 'UPDATE campaign_defs SET state = $1, updated_at = $2 WHERE id = $3', [state, at, id]);
  }

  async discardUnlistedContacts(campaign: string): Promise<number> {
    const r = await this.query(
      'discarding contacts of an unfinished add',
      'DELETE FROM contacts WHERE campaign = $1 AND NOT EXISTS (SELECT 1 FROM campaign_defs WHERE id = $1)',
      [campaign],
    );
    return r.rowCount ?? 0;
  }

  async addContacts(campaign: string, rows: ContactRowInput[], notBefore = 0): Promise<void> {
    await this.insertContacts('adding contacts', campaign, rows, { notBefore });
  }

  async addSkippedContacts(campaign: string, rows: ContactRowInput[], outcome: AttemptOutcome): Promise<void> {
    await this.insertContacts('adding skipped contacts', campaign, rows, { outcome });
  }

  async saveBlacklist(campaign: string, numbers: readonly string[]): Promise<void> {
    if (!numbers.length) return;
    await this.query(
      'keeping the blacklist',
      'INSERT INTO campaign_blacklists (campaign, number) SELECT $1, n FROM unnest($2::text[]) AS n ON CONFLICT DO NOTHING',
      [campaign, [...numbers]],
    );
  }

  async blacklist(campaign: string): Promise<string[]> {
    const r = await this.query('reading the blacklist', 'SELECT number FROM campaign_blacklists WHERE campaign = $1 ORDER BY number', [
      campaign,
    ]);
    return r.rows.map((x) => String(x.number));
  }

  async contactCounts(campaign: string): Promise<{ total: number; done: number }> {
    const r = await this.query(
      'counting contacts',
      'SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE done) AS done FROM contacts WHERE campaign = $1',
      [campaign],
    );
    return { total: Number(r.rows[0].total), done: Number(r.rows[0].done) };
  }

  async simCallsOn(iccid: string, day: string): Promise<number> {
    const r = await this.query("reading a SIM's calls today", 'SELECT calls FROM sim_calls WHERE iccid = $1 AND day = $2', [iccid, day]);
    return r.rows.length ? Number(r.rows[0].calls) : 0;
  }

  async countSimCall(iccid: string, day: string): Promise<void> {
    await this.query(
      "counting a SIM's call",
      'INSERT INTO sim_calls (iccid, day, calls) VALUES ($1, $2, 1) ON CONFLICT (iccid, day) DO UPDATE SET calls = sim_calls.calls + 1',
      [iccid, day],
    );
  }

  async dialsSince(since: number): Promise<{ number: string; at: number }[]> {
    const r = await this.query(
      'reading recent dials',
      'SELECT number, dialled_at FROM attempts WHERE dialled_at > $1 ORDER BY dialled_at',
      [since],
    );
    return r.rows.map((x) => ({ number: String(x.number), at: Number(x.dialled_at) }));
  }

  async allContacts(campaign: string): Promise<Record<string, unknown>[]> {
    const r = await this.query(
      'reading contacts',
      'SELECT id, campaign, number, fields::text AS fields, line, attempts, next_attempt_at, done::int AS done, last_outcome, preferred_seat FROM contacts WHERE campaign = $1 ORDER BY id',
      [campaign],
    );
    return r.rows;
  }

  async attempts(campaign: string): Promise<Record<string, unknown>[]> {
    const r = await this.query('reading attempts', 'SELECT * FROM attempts WHERE campaign = $1 ORDER BY id', [campaign]);
    return r.rows;
  }

  async gatewayStats(campaign: string): Promise<GatewayCampaignStats[]> {
    const r = await this.query(
      'reading campaign statistics',
      `SELECT gateway, COUNT(*) AS dialled, COUNT(answered_at) AS answered,
         COUNT(*) FILTER (WHERE outcome = 'connected') AS connected, COUNT(*) FILTER (WHERE outcome = 'abandoned') AS abandoned
       FROM attempts WHERE campaign = $1 GROUP BY gateway ORDER BY gateway`,
      [campaign],
    );
    return r.rows.map((x) => ({
      gateway: String(x.gateway),
      dialled: Number(x.dialled),
      answered: Number(x.answered),
      connected: Number(x.connected),
      abandoned: Number(x.abandoned),
    }));
  }

  /** Gateways that beat within the lease timeout: who is working the centre now. */
  async liveGateways(): Promise<string[]> {
    const r = await this.query(
      'reading gateways',
      `SELECT DISTINCT name FROM gateways WHERE left_at IS NULL AND seen_at > ${DB_NOW} - $1 ORDER BY name`,
      [this.leaseTimeoutMs],
    );
    return r.rows.map((x) => String(x.name));
  }

  async contactSource(campaign: string, rules: ContactSourceRules, now: number): Promise<LeasedContacts> {
    const source = new LeasedContacts(this, campaign, rules, this.opts.clock, this.logger);
    // Counts only: contacts are leased when the campaign asks for them.
    await source.refresh(now, 0);
    return source;
  }

  /**
   * Leases up to `want` due contacts of the campaign for this instance, taking
   * over leases of dead gateways first. Each leased contact's attempt is
   * committed when this resolves.
   */
  async lease(
    campaign: string,
    want: number,
    now: number,
    rules: ContactSourceRules,
  ): Promise<{ leased: { contact: Contact; attemptId: number }[]; remaining: number; nextDueAt: number | undefined }> {
    return this.transaction('leasing contacts', async (c) => {
      await this.takeOverDeadLeases(c, campaign, now, rules);
      const leased: { contact: Contact; attemptId: number }[] = [];
      const due = (
        want <= 0
          ? { rows: [] }
          : await c.query(
              `SELECT id, number, fields, line, attempts, next_attempt_at, last_outcome, preferred_seat FROM contacts
           WHERE campaign = $1 AND NOT done AND leased_by IS NULL AND next_attempt_at <= $2
           ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
              [campaign, now, Math.min(MAX_LEASE, want)],
            )
      ).rows.map(toContact);
      if (due.length) {
        const numbers = [...new Set(due.map((d) => d.number))].sort();
        // One lock per number, always taken in the same order: the caps check below and the attempt it admits are
        // one step for every gateway, and two leases never wait on each other in a cycle.
        await c.query(
          'SELECT count(pg_advisory_xact_lock(hashtextextended(n, 0))) FROM (SELECT n FROM unnest($1::text[]) AS n ORDER BY n) AS s',
          [numbers],
        );
        const coolMs = (rules.coolDownSec ?? 0) * 1000;
        const caps = new CalleeCaps(rules.calleeCaps ?? {});
        const last = new Map<string, number>();
        const dials = await c.query(
          'SELECT number, dialled_at FROM attempts WHERE number = ANY($1) AND dialled_at > $2 ORDER BY dialled_at',
          [numbers, now - Math.max(DAY_MS, coolMs)],
        );
        for (const d of dials.rows) {
          caps.dialled(String(d.number), Number(d.dialled_at));
          last.set(String(d.number), Number(d.dialled_at));
        }
        const deferred: { id: number; at: number }[] = [];
        const admitted: Contact[] = [];
        for (const contact of due) {
          const lastAt = last.get(contact.number);
          const coolUntil = coolMs > 0 && lastAt !== undefined ? lastAt + coolMs : now;
          const allowedAt = caps.notBefore(contact.number, Math.max(now, coolUntil));
          if (allowedAt > now) {
            deferred.push({ id: contact.id, at: allowedAt });
            continue;
          }
          caps.dialled(contact.number, now);
          last.set(contact.number, now);
          admitted.push(contact);
        }
        if (deferred.length)
          await c.query(
            'UPDATE contacts SET next_attempt_at = d.at FROM unnest($1::bigint[], $2::bigint[]) AS d(id, at) WHERE contacts.id = d.id',
            [deferred.map((d) => d.id), deferred.map((d) => d.at)],
          );
        if (admitted.length) {
          // One statement: an attempt row per admitted contact, and the contact leased to this instance with it.
          const rows = await c.query(
            `WITH made AS (
               INSERT INTO attempts (campaign, contact_id, number, gateway, state, dialled_at)
               SELECT $1, u.id, u.number, $2, 'leased', $3 FROM unnest($4::bigint[], $5::text[]) WITH ORDINALITY AS u(id, number, ord) ORDER BY u.ord
               RETURNING id, contact_id)
             UPDATE contacts SET leased_by = $6, leased_attempt = made.id FROM made WHERE contacts.id = made.contact_id
             RETURNING contacts.id AS contact_id, made.id AS attempt_id`,
            [campaign, this.opts.gateway, now, admitted.map((a) => a.id), admitted.map((a) => a.number), this.instance],
          );
          const attemptOf = new Map(rows.rows.map((r) => [Number(r.contact_id), Number(r.attempt_id)]));
          for (const contact of admitted) leased.push({ contact, attemptId: attemptOf.get(contact.id)! });
        }
      }
      const counts = await c.query(
        `SELECT COUNT(*) FILTER (WHERE NOT done) AS remaining, MIN(next_attempt_at) FILTER (WHERE NOT done AND leased_by IS NULL) AS next
         FROM contacts WHERE campaign = $1`,
        [campaign],
      );
      const next = counts.rows[0].next;
      return { leased, remaining: Number(counts.rows[0].remaining), nextDueAt: next === null ? undefined : Number(next) };
    });
  }

  /** The leased attempt is about to be dialled: committed before the dial. Throws when the lease was taken over meanwhile. */
  async startDialling(attemptId: number, at: number, number: string): Promise<void> {
    const r = await this.query(
      'recording an attempt',
      "UPDATE attempts SET state = 'dialling', dialled_at = $1 WHERE id = $2 AND state = 'leased'",
      [at, attemptId],
    );
    if (r.rowCount !== 1)
      throw new PgStoreError(this.where, 'recording an attempt', `the lease on ${number} was taken over by another gateway`);
  }

  /** An attempt's outcome; false when its lease was taken over (this gateway was presumed dead): nothing is written. */
  async endAttempt(attemptId: number, contact: Contact, outcome: AttemptOutcome, at: number): Promise<boolean> {
    return this.transaction('ending an attempt', async (c) => {
      const r = await c.query("UPDATE attempts SET state = 'ended', outcome = $1, ended_at = $2 WHERE id = $3 AND state = 'dialling'", [
        outcome,
        at,
        attemptId,
      ]);
      if (!r.rowCount) return false;
      await c.query(
        `UPDATE contacts SET attempts = $1, next_attempt_at = $2, done = $3, last_outcome = $4, preferred_seat = $5, leased_by = NULL, leased_attempt = NULL
         WHERE id = $6 AND leased_attempt = $7`,
        [contact.attempts, contact.nextAttemptAt, contact.done, outcome, contact.preferredSeatId ?? null, contact.id, attemptId],
      );
      return true;
    });
  }

  /** An attempt leased but never dialled: it did not happen, so it goes (and the contact is free again). */
  async returnUndialled(attemptId: number, contactId: number): Promise<void> {
    await this.transaction('returning an undialled contact', async (c) => {
      const r = await c.query("DELETE FROM attempts WHERE id = $1 AND state = 'leased'", [attemptId]);
      if (r.rowCount)
        await c.query('UPDATE contacts SET leased_by = NULL, leased_attempt = NULL WHERE id = $1 AND leased_attempt = $2', [
          contactId,
          attemptId,
        ]);
    });
  }

  async recordDetails(attemptId: number, r: AttemptRecord): Promise<void> {
    await this.query(
      'recording call details',
      'UPDATE attempts SET cause = $1, keys = $2, seat = $3, answered_at = $4, wait_ms = $5, recording = $6 WHERE id = $7',
      [r.cause, r.keys ?? null, r.seatId ?? null, r.answeredAt ?? null, r.waitMs ?? null, r.recording ?? null, attemptId],
    );
  }

  /** Whether this instance's leases are surely still its own: it beat within half the timeout. */
  leaseHeld(): boolean {
    return this.opts.clock.now() - this.lastBeatOkAt < this.leaseTimeoutMs / 2;
  }

  /** Marks this instance as gone (its leases are free at once) and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat?.cancel();
    await this.query('leaving', `UPDATE gateways SET left_at = ${DB_NOW} WHERE instance = $1`, [this.instance]).catch((err: unknown) =>
      this.logger.warn('could not mark the gateway as gone', { err: String(err) }),
    );
    await this.pool.end();
  }

  private beat(): void {
    if (this.closed) return;
    this.heartbeat = this.opts.clock.setTimer(this.leaseTimeoutMs / 5, () => {
      const started = this.opts.clock.now();
      this.query('beating', `UPDATE gateways SET seen_at = ${DB_NOW} WHERE instance = $1`, [this.instance])
        .then(() => (this.lastBeatOkAt = started))
        .catch((err: unknown) => this.logger.warn('campaign store heartbeat failed', { store: this.where, err: String(err) }))
        .finally(() => this.beat());
    });
  }

  /** Closes the attempts of instances that stopped beating (interrupted: the retry rules apply) and frees their contacts. */
  private async takeOverDeadLeases(c: PoolClient, campaign: string, now: number, rules: ContactSourceRules): Promise<void> {
    const dead = await c.query(
      `SELECT c.id, c.number, c.fields, c.line, c.attempts, c.next_attempt_at, c.last_outcome, c.preferred_seat, c.leased_attempt
       FROM contacts c
       WHERE c.campaign = $1 AND c.leased_by IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM gateways g WHERE g.instance = c.leased_by AND g.left_at IS NULL AND g.seen_at > ${DB_NOW} - $2)
       FOR UPDATE OF c SKIP LOCKED`,
      [campaign, this.leaseTimeoutMs],
    );
    if (!dead.rowCount) return;
    const list = new ContactList({ retryRules: rules.retryRules });
    for (const row of dead.rows) {
      const contact = toContact(row);
      const attemptId = Number(row.leased_attempt);
      const r = await c.query(
        "UPDATE attempts SET state = 'interrupted', outcome = 'other', ended_at = $1 WHERE id = $2 AND state = 'dialling'",
        [now, attemptId],
      );
      if (r.rowCount) list.applyOutcome(contact, 'other', now);
      else await c.query("DELETE FROM attempts WHERE id = $1 AND state = 'leased'", [attemptId]);
      await c.query(
        'UPDATE contacts SET attempts = $1, next_attempt_at = $2, done = $3, last_outcome = $4, leased_by = NULL, leased_attempt = NULL WHERE id = $5',
        [contact.attempts, contact.nextAttemptAt, contact.done, contact.lastOutcome ?? null, contact.id],
      );
    }
    this.logger.warn('took over the leases of a gateway that stopped', { campaign, contacts: dead.rowCount });
  }

  private async insertContacts(
    doing: string,
    campaign: string,
    rows: ContactRowInput[],
    how: { notBefore?: number; outcome?: AttemptOutcome },
  ): Promise<void> {
    if (!rows.length) return;
    await this.query(
      doing,
      `INSERT INTO contacts (campaign, number, fields, line, next_attempt_at, done, last_outcome)
       SELECT $1, r.number, r.fields, r.line, $5, $6, $7
       FROM unnest($2::text[], $3::jsonb[], $4::int[]) WITH ORDINALITY AS r(number, fields, line, ord) ORDER BY r.ord`,
      [
        campaign,
        rows.map((r) => r.number),
        rows.map((r) => JSON.stringify(r.fields ?? [])),
        rows.map((r) => r.line ?? null),
        how.notBefore ?? 0,
        how.outcome !== undefined,
        how.outcome ?? null,
      ],
    );
  }

  private async migrate(): Promise<void> {
    await this.transaction('migrating the schema', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((x) => Number(x.version)));
      const known = Math.max(...MIGRATIONS.map((m) => m.version));
      const newer = [...done].filter((v) => v > known);
      if (newer.length)
        throw new Error(`the schema is at version ${Math.max(...newer)}, newer than this trunkpilot knows (${known}): upgrade trunkpilot`);
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        this.logger.info('campaign store schema migrated', { store: this.where, version: m.version, name: m.name });
      }
    });
  }

  /** One statement, committed: for other layers' tables in this store (privacy bindings). */
  sql(doing: string, text: string, params: unknown[] = []) {
    return this.query(doing, text, params);
  }

  private async query(doing: string, sql: string, params: unknown[] = []) {
    try {
      return await this.pool.query(sql, params);
    } catch (err) {
      throw new PgStoreError(this.where, doing, err);
    }
  }

  private async transaction<T>(doing: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new PgStoreError(this.where, doing, err);
    }
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err instanceof TrunkpilotError ? err : new PgStoreError(this.where, doing, err);
    } finally {
      client.release();
    }
  }
}

function toContact(r: Record<string, unknown>): Contact {
  return {
    id: Number(r.id),
    number: String(r.number),
    fields: (typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields) as string[],
    line: r.line === null ? undefined : Number(r.line),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    done: false,
    lastOutcome: (r.last_outcome ?? undefined) as AttemptOutcome | undefined,
    preferredSeatId: (r.preferred_seat ?? undefined) as string | undefined,
  };
}
