import { open } from 'node:fs/promises';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { InputError, TrunkpilotError } from '../core/errors';
import { PacerModel, parsePacerModel } from '../pacing/pacer-model';
import { CalleeCaps } from './callee-caps';
import { CampaignDefRow, CampaignStorage, ContactSourceRules, GatewayCampaignStats } from './campaign-storage';
import { Contact, ContactList } from './contact-list';
import { PersistentContacts } from './persistent-contacts';
import { AttemptRecord } from './outbound-campaign';
import { AttemptOutcome } from './retry-rules';
import { WalCheckpointer } from './wal-checkpointer';
import { migrateStore } from './store-migrations';

/**
 * Campaigns, contacts, attempts and outcomes in an embedded SQLite database.
 * (One file over 400 lines: it is the SQLite half of CampaignStorage, its methods share one
 * schema and one set of prepared statements, and splitting it by table would split transactions.)
 * Every attempt is written (and synced) before its number is dialled and again
 * with its outcome when it ends, so a crash loses nothing, and a restart finds
 * the attempts that were in flight, closes them as interrupted and lets the
 * retry rules decide when to call those numbers again: nobody is dialled twice
 * for the same attempt.
 *
 * Attempt rows are committed without a sync (WAL, synchronous=NORMAL: in the
 * operating system's cache, so they survive kill -9 at once) and made durable
 * against power loss by a group sync: one fdatasync of the WAL on libuv's thread
 * pool covers every commit made before it started, and the event loop never
 * waits for the disk. The campaign dials a number only once `durable()` has
 * resolved for its attempt (PersistentContacts.recorded). Outcomes ride on the
 * next sync (nobody waits for them: one lost to power loss leaves its attempt in
 * flight, closed as interrupted at restart). Everything else (campaigns,
 * contacts, states) is written with synchronous=FULL, synced before the call returns.
 * The WAL is checkpointed into the database on a worker thread (WalCheckpointer),
 * not by the writer, so its fsyncs do not stall the loop either.
 * SQLite is Node's own (node:sqlite; bench/sqlite-bench.ts compares it
 * with libsqlite3 through koffi, which this store used before).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS campaigns (name TEXT PRIMARY KEY, settings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
  id INTEGER PRIMARY KEY, campaign TEXT NOT NULL, number TEXT NOT NULL, fields TEXT NOT NULL, line INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,
  last_outcome TEXT, preferred_seat TEXT);
CREATE INDEX IF NOT EXISTS contacts_due ON contacts (campaign, done, next_attempt_at);
CREATE INDEX IF NOT EXISTS contacts_number ON contacts (campaign, number);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, campaign TEXT NOT NULL, contact_id INTEGER NOT NULL, number TEXT NOT NULL,
  state TEXT NOT NULL, dialled_at INTEGER NOT NULL, outcome TEXT, cause INTEGER, keys TEXT, seat TEXT,
  answered_at INTEGER, ended_at INTEGER, wait_ms INTEGER);
CREATE INDEX IF NOT EXISTS attempts_state ON attempts (campaign, state);
CREATE INDEX IF NOT EXISTS attempts_dialled ON attempts (dialled_at);
CREATE TABLE IF NOT EXISTS campaign_defs (
  id TEXT PRIMARY KEY, spec TEXT NOT NULL, state TEXT NOT NULL, needs TEXT NOT NULL, import_report TEXT,
  added_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pacer_models (
  campaign TEXT NOT NULL, hour INTEGER NOT NULL, saved_at INTEGER NOT NULL, model TEXT NOT NULL, PRIMARY KEY (campaign, hour));
`;

/** The store's file cannot be opened, read or written: names the file and what SQLite said. */
export class CampaignStoreError extends TrunkpilotError {
  constructor(
    readonly path: string,
    readonly doing: string,
    cause: unknown,
  ) {
    // node:sqlite's errors are Errors of the main realm (not instanceof Error inside a jest sandbox).
    const said = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    super('STORAGE_FAILED', `campaign store ${path}: ${doing} failed: ${said}`);
  }
}

export interface CampaignStoreOptions {
  /**
   * Makes a file's written data durable (default: fdatasync on libuv's thread
   * pool). The store's seam to the disk: a test holds it back to see that nothing
   * is dialled before its attempt is on disk.
   */
  syncFile?: (path: string) => Promise<void>;
}

/** The embedded store: one gateway, one file (the contract is CampaignStorage; PgCampaignStore is the shared one). */
export class CampaignStore implements CampaignStorage {
  readonly shared = false;
  private readonly db: DatabaseSync;
  private readonly syncFile: (path: string) => Promise<void>;
  /** The sync in progress, and the one queued behind it for commits made since it started. */
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly checkpointer: WalCheckpointer | undefined;
  private writesSinceCheckpoint = 0;
  private readonly insertContact: StatementSync;
  private readonly insertNewContact: StatementSync;
  private readonly insertAttempt: StatementSync;
  private readonly closeAttempt: StatementSync;
  private readonly updateContact: StatementSync;
  private readonly detailAttempt: StatementSync;
  private readonly openPageFirst: StatementSync;
  private readonly openPageAfter: StatementSync;

  constructor(
    readonly path: string,
    opts: CampaignStoreOptions = {},
  ) {
    this.syncFile = opts.syncFile ?? fdatasyncFile;
    try {
      this.db = new DatabaseSync(path);
      // WAL; commits are synced by durable() (attempts) or under synchronous=FULL (everything else).
      // busy_timeout: the checkpointer's connection may hold a lock for a moment (and a closing one, at close).
      this.db.exec('PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;');
      this.db.exec(SCHEMA);
      migrateStore(this.db);
    } catch (err) {
      throw new CampaignStoreError(path, 'opening', err);
    }
    if (path !== ':memory:' && path !== '') this.checkpointer = new WalCheckpointer(path);
    this.insertContact = this.db.prepare('INSERT INTO contacts (campaign, number, fields, line, next_attempt_at) VALUES (?, ?, ?, ?, ?)');
    this.insertNewContact = this.db.prepare(
      'INSERT INTO contacts (campaign, number, fields, line, next_attempt_at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM contacts WHERE campaign = ?1 AND number = ?2)',
    );
    this.insertAttempt = this.db.prepare(
      "INSERT INTO attempts (campaign, contact_id, number, state, dialled_at) VALUES (?, ?, ?, 'dialling', ?)",
    );
    this.closeAttempt = this.db.prepare('UPDATE attempts SET state = ?, outcome = ?, ended_at = ? WHERE id = ?');
    this.updateContact = this.db.prepare(
      'UPDATE contacts SET attempts = ?, next_attempt_at = ?, done = ?, last_outcome = ?, preferred_seat = ? WHERE id = ?',
    );
    const page = 'SELECT * FROM contacts WHERE campaign = ? AND done = 0';
    const order = 'ORDER BY next_attempt_at, id LIMIT ?';
    this.openPageFirst = this.db.prepare(`${page} ${order}`);
    this.openPageAfter = this.db.prepare(`${page} AND (next_attempt_at > ? OR (next_attempt_at = ? AND id > ?)) ${order}`);
    this.detailAttempt = this.db.prepare(
      'UPDATE attempts SET cause = ?, keys = ?, seat = ?, answered_at = ?, wait_ms = ?, recording = ? WHERE id = ?',
    );
  }

  get where(): string {
    return this.path;
  }

  /** The database, for stores of other layers kept in the same file (privacy bindings); their tables come from store-migrations.ts. */
  get database(): DatabaseSync {
    return this.db;
  }

  /** The seat that last talked to this number on any campaign (a customer calling back), if any did. */
  lastSeatFor(numbers: readonly string[]): { seat: string; at: number } | undefined {
    if (numbers.length === 0) return undefined;
    const row = this.db
      .prepare(
        `SELECT seat, answered_at FROM attempts WHERE number IN (${numbers.map(() => '?').join(', ')}) AND seat IS NOT NULL AND answered_at IS NOT NULL ORDER BY answered_at DESC, id DESC LIMIT 1`,
      )
      .get(...numbers);
    return row ? { seat: String(row.seat), at: Number(row.answered_at) } : undefined;
  }

  saveCampaign(name: string, settings: unknown): void {
    this.write('saving a campaign', () =>
      this.db.prepare('INSERT OR REPLACE INTO campaigns (name, settings) VALUES (?, ?)').run(name, JSON.stringify(settings)),
    );
  }

  addContacts(campaign: string, rows: { number: string; fields?: string[]; line?: number }[], notBefore = 0): void {
    this.transaction('adding contacts', () => {
      for (const r of rows) this.insertContact.run(campaign, r.number, JSON.stringify(r.fields ?? []), r.line ?? null, notBefore);
    });
  }

  /** Contacts of a campaign the store does not list: left by a crash in the middle of adding it. */
  discardUnlistedContacts(campaign: string): number {
    return Number(
      this.write('discarding contacts of an unfinished add', () =>
        this.db
          .prepare('DELETE FROM contacts WHERE campaign = ? AND NOT EXISTS (SELECT 1 FROM campaign_defs WHERE id = ?)')
          .run(campaign, campaign),
      ).changes,
    );
  }

  /** Numbers of a list that will never be dialled (on a blacklist): kept finished, with why, for the results. */
  addSkippedContacts(campaign: string, rows: { number: string; fields?: string[]; line?: number }[], outcome: AttemptOutcome): void {
    const insert = this.db.prepare('INSERT INTO contacts (campaign, number, fields, line, done, last_outcome) VALUES (?, ?, ?, ?, 1, ?)');
    this.transaction('adding skipped contacts', () => {
      for (const r of rows) insert.run(campaign, r.number, JSON.stringify(r.fields ?? []), r.line ?? null, outcome);
    });
  }

  saveCampaignDef(id: string, spec: unknown, state: string, needs: string[], importReport: unknown, at: number): void {
    this.write('adding a campaign', () =>
      this.db
        .prepare('INSERT INTO campaign_defs (id, spec, state, needs, import_report, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, JSON.stringify(spec), state, JSON.stringify(needs), JSON.stringify(importReport ?? null), at, at),
    );
  }

  setCampaignState(id: string, state: string, at: number, needs?: string[]): void {
    this.write('recording a campaign state', () => {
      if (needs)
        this.db
          .prepare('UPDATE campaign_defs SET state = ?, needs = ?, updated_at = ? WHERE id = ?')
          .run(state, JSON.stringify(needs), at, id);
      else this.db.prepare('UPDATE campaign_defs SET state = ?, updated_at = ? WHERE id = ?').run(state, at, id);
    });
  }

  campaignDefs(): CampaignDefRow[] {
    return this.db
      .prepare('SELECT * FROM campaign_defs ORDER BY added_at, id')
      .all()
      .map((r) => ({
        id: String(r.id),
        spec: JSON.parse(String(r.spec)),
        state: String(r.state),
        needs: JSON.parse(String(r.needs)) as string[],
        importReport: r.import_report === null ? null : JSON.parse(String(r.import_report)),
        addedAt: Number(r.added_at),
        updatedAt: Number(r.updated_at),
      }));
  }

  /** Every contact of a campaign, finished or not, in list order. */
  allContacts(campaign: string) {
    return this.db.prepare('SELECT * FROM contacts WHERE campaign = ? ORDER BY id').all(campaign);
  }

  /** Counts for progress: numbers in the list, numbers finished. */
  contactCounts(campaign: string): { total: number; done: number } {
    const r = this.db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(done), 0) AS done FROM contacts WHERE campaign = ?').all(campaign)[0];
    return { total: Number(r.total), done: Number(r.done) };
  }

  /** Numbers dialled (by any campaign) since `since`: for per-callee caps across restarts. */
  simCallsOn(iccid: string, day: string): number {
    const r = this.db.prepare('SELECT calls FROM sim_calls WHERE iccid = ? AND day = ?').get(iccid, day) as { calls: number } | undefined;
    return r ? Number(r.calls) : 0;
  }

  countSimCall(iccid: string, day: string): void {
    this.db
      .prepare('INSERT INTO sim_calls (iccid, day, calls) VALUES (?, ?, 1) ON CONFLICT (iccid, day) DO UPDATE SET calls = calls + 1')
      .run(iccid, day);
  }

  dialsSince(since: number): { number: string; at: number }[] {
    return this.db
      .prepare('SELECT number, dialled_at FROM attempts WHERE dialled_at > ? ORDER BY dialled_at')
      .all(since)
      .map((r) => ({ number: String(r.number), at: Number(r.dialled_at) }));
  }

  /**
   * Adds rows in one transaction, skipping numbers the campaign already has (from
   * this batch, an earlier one or an earlier import): the duplicate check lives on
   * disk, so an import of any size needs no set of numbers in memory. 'later':
   * committed without a sync of its own (an import commits many small batches, then
   * waits for durable() once).
   */
  addNewContacts(
    campaign: string,
    rows: { number: string; fields?: string[]; line?: number }[],
    notBefore = 0,
    sync: 'now' | 'later' = 'now',
  ): { added: number; duplicates: number } {
    let added = 0;
    this.transaction(
      'adding contacts',
      () => {
        for (const r of rows)
          added += Number(this.insertNewContact.run(campaign, r.number, JSON.stringify(r.fields ?? []), r.line ?? null, notBefore).changes);
      },
      sync,
    );
    return { added, duplicates: rows.length - added };
  }

  saveBlacklist(campaign: string, numbers: readonly string[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO campaign_blacklists (campaign, number) VALUES (?, ?)');
    this.transaction('keeping the blacklist', () => {
      for (const n of numbers) insert.run(campaign, n);
    });
  }

  blacklist(campaign: string): string[] {
    return this.db
      .prepare('SELECT number FROM campaign_blacklists WHERE campaign = ? ORDER BY number')
      .all(campaign)
      .map((r) => String(r.number));
  }

  /** One gateway uses this store: one row, without a gateway name. */
  gatewayStats(campaign: string): GatewayCampaignStats[] {
    const r = this.db
      .prepare(
        `SELECT COUNT(*) AS dialled, COUNT(answered_at) AS answered,
           COALESCE(SUM(outcome = 'connected'), 0) AS connected, COALESCE(SUM(outcome = 'abandoned'), 0) AS abandoned
         FROM attempts WHERE campaign = ?`,
      )
      .all(campaign)[0];
    return [
      {
        gateway: undefined,
        dialled: Number(r.dialled),
        answered: Number(r.answered),
        connected: Number(r.connected),
        abandoned: Number(r.abandoned),
      },
    ];
  }

  /** The list paged from here (order, retries, cool-down, caps seeded from the last 24 h of dials), every attempt recorded here. */
  contactSource(campaign: string, rules: ContactSourceRules, now: number): PersistentContacts {
    const caps = rules.calleeCaps ? new CalleeCaps(rules.calleeCaps) : undefined;
    if (caps) for (const d of this.dialsSince(now - 86_400_000)) caps.dialled(d.number, d.at);
    const list = new ContactList({ retryRules: rules.retryRules, coolDownSec: rules.coolDownSec, admission: caps });
    return new PersistentContacts(this, campaign, list, now);
  }

  /** Contacts still to be finished, as the list keeps them (every one: for tests and small lists). */
  openContacts(campaign: string): Contact[] {
    return this.db.prepare('SELECT * FROM contacts WHERE campaign = ? AND done = 0 ORDER BY id').all(campaign).map(contactOfRow);
  }

  /**
   * One page of the contacts still to be finished, in dialling order (when due,
   * then id), after the contact `after` (its due time and id; from the start when
   * undefined). The campaign pages through its list with this, so memory does not
   * grow with the list.
   */
  openContactsPage(campaign: string, after: { at: number; id: number } | undefined, limit: number): Contact[] {
    const rows = after ? this.openPageAfter.all(campaign, after.at, after.at, after.id, limit) : this.openPageFirst.all(campaign, limit);
    return rows.map(contactOfRow);
  }

  openContactCount(campaign: string): number {
    return Number(this.db.prepare('SELECT COUNT(*) AS n FROM contacts WHERE campaign = ? AND done = 0').all(campaign)[0].n);
  }

  contactById(id: number): Contact | undefined {
    const r = this.db.prepare('SELECT * FROM contacts WHERE id = ?').all(id)[0];
    return r ? contactOfRow(r) : undefined;
  }

  /** Committed at once (survives kill -9); durable against power loss when durable() resolves: dial only then. */
  beginAttempt(campaign: string, contact: Contact, at: number): number {
    return Number(
      this.write('beginning an attempt', () => this.insertAttempt.run(campaign, contact.id, contact.number, at), 'later').lastInsertRowid,
    );
  }

  /** Committed at once; synced with the next group sync (nobody waits for an outcome). */
  endAttempt(attemptId: number, contact: Contact, outcome: AttemptOutcome, at: number, state: 'ended' | 'interrupted' = 'ended'): void {
    this.transaction(
      'ending an attempt',
      () => {
        this.closeAttempt.run(state, outcome, at, attemptId);
        this.updateContact.run(
          contact.attempts,
          contact.nextAttemptAt,
          contact.done ? 1 : 0,
          outcome,
          contact.preferredSeatId ?? null,
          contact.id,
        );
      },
      'later',
    );
    this.syncSoon();
  }

  recordDetails(attemptId: number, r: AttemptRecord): void {
    this.write(
      'recording call details',
      () =>
        this.detailAttempt.run(
          r.cause,
          r.keys ?? null,
          r.seatId ?? null,
          r.answeredAt ?? null,
          r.waitMs ?? null,
          r.recording ?? null,
          attemptId,
        ),
      'later',
    );
    this.syncSoon();
  }

  /**
   * Resolves once every commit made before this call is on disk (group sync: a
   * sync that started before now may have missed it, so callers then share the
   * next one). Rejects with a CampaignStoreError when the disk refuses.
   */
  durable(): Promise<void> {
    if (!this.syncing) return this.startSync();
    this.queued ??= this.syncing
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.startSync();
      });
    return this.queued;
  }
  /** Attempts left in flight by a crash: [attempt id, contact id]. */
  inFlight(campaign: string): { attemptId: number; contactId: number }[] {
    return this.db
      .prepare("SELECT id, contact_id FROM attempts WHERE campaign = ? AND state = 'dialling'")
      .all(campaign)
      .map((r) => ({ attemptId: Number(r.id), contactId: Number(r.contact_id) }));
  }

  attempts(campaign: string) {
    return this.db.prepare('SELECT * FROM attempts WHERE campaign = ? ORDER BY id').all(campaign);
  }

  /**
   * Keeps what a campaign's pacer has learned, by hour of the day (0-23): answer
   * rates and durations differ between the morning and the evening.
   */
  savePacerModel(campaign: string, hourOfDay: number, model: PacerModel, at: number): void {
    if (!Number.isInteger(hourOfDay) || hourOfDay < 0 || hourOfDay > 23)
      throw new InputError('hour of day', `must be a whole hour 0-23, got ${hourOfDay}`);
    this.write('keeping the pacer model', () =>
      this.db
        .prepare('INSERT OR REPLACE INTO pacer_models (campaign, hour, saved_at, model) VALUES (?, ?, ?, ?)')
        .run(campaign, hourOfDay, at, JSON.stringify(model)),
    );
  }

  /** The kept model for this hour of the day, or else the one saved nearest to it in the day; undefined if none. */
  loadPacerModel(campaign: string, hourOfDay: number): PacerModel | undefined {
    const rows = this.db.prepare('SELECT hour, model FROM pacer_models WHERE campaign = ?').all(campaign);
    if (!rows.length) return undefined;
    const distance = (h: number) => Math.min(Math.abs(h - hourOfDay), 24 - Math.abs(h - hourOfDay));
    const nearest = rows.reduce((a, b) => (distance(Number(b.hour)) < distance(Number(a.hour)) ? b : a));
    const where = `pacer model of campaign ${campaign} (hour ${Number(nearest.hour)})`;
    const text = String(nearest.model);
    if (text.length > PACER_MODEL_MAX_BYTES) throw new InputError(where, `is ${text.length} bytes, at most ${PACER_MODEL_MAX_BYTES}`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InputError(where, `is not JSON: ${(err as Error).message}`);
    }
    return parsePacerModel(raw, where);
  }

  close(): void {
    this.db.close();
    this.checkpointer?.close();
  }

  private startSync(): Promise<void> {
    const file = this.path === ':memory:' || this.path === '' ? undefined : this.path;
    const sync = (file ? this.syncFile(`${file}-wal`) : Promise.resolve()).then(
      () => undefined,
      (err: unknown) => {
        throw new CampaignStoreError(this.path, 'syncing attempts to disk', err);
      },
    );
    this.syncing = sync;
    const clear = () => {
      if (this.syncing === sync) this.syncing = undefined;
    };
    sync.then(clear, clear);
    return sync;
  }

  /** Asks for a sync without waiting for it (a failure shows on the next attempt's durable()). */
  private syncSoon(): void {
    if (++this.writesSinceCheckpoint >= CHECKPOINT_EVERY_WRITES) {
      this.writesSinceCheckpoint = 0;
      this.checkpointer?.request();
    }
    this.durable().catch(() => undefined);
  }

  /** Runs fn in one transaction (committed when it returns, rolled back when it throws). */
  private transaction(doing: string, fn: () => void, sync: 'now' | 'later' = 'now'): void {
    this.write(
      doing,
      () => {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          fn();
          this.db.exec('COMMIT');
        } catch (err) {
          if (this.db.isTransaction) this.db.exec('ROLLBACK');
          throw err;
        }
      },
      sync,
    );
  }

  /**
   * A write SQLite refused (disk full, file gone read-only) becomes a typed error naming the file.
   * 'now': synced before it returns (synchronous=FULL); 'later': by the next durable().
   */
  private write<T>(doing: string, fn: () => T, sync: 'now' | 'later' = 'now'): T {
    try {
      if (sync === 'later') return fn();
      this.db.exec('PRAGMA synchronous=FULL');
      try {
        return fn();
      } finally {
        this.db.exec('PRAGMA synchronous=NORMAL');
      }
    } catch (err) {
      throw err instanceof TrunkpilotError ? err : new CampaignStoreError(this.path, doing, err);
    }
  }
}

/**
 * fdatasync on libuv's thread pool, through a descriptor of its own: fsync
 * flushes a file's data whichever descriptor wrote it. No WAL (already
 * checkpointed away at close) means the commits are in the database file.
 */
async function fdatasyncFile(path: string): Promise<void> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !path.endsWith('-wal')) throw err;
    file = await open(path.slice(0, -'-wal'.length), 'r');
  }
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
}

function contactOfRow(r: Record<string, unknown>): Contact {
  return {
    id: Number(r.id),
    number: String(r.number),
    fields: JSON.parse(String(r.fields)) as string[],
    line: r.line === null ? undefined : Number(r.line),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    done: Number(r.done) === 1,
    lastOutcome: (r.last_outcome ?? undefined) as AttemptOutcome | undefined,
    preferredSeatId: (r.preferred_seat ?? undefined) as string | undefined,
  };
}

/** Attempt outcomes between two checkpoints: a few hundred kB of WAL. */
const CHECKPOINT_EVERY_WRITES = 200;

/** A kept pacer model is a few tens of kB; anything far larger is not one. */
const PACER_MODEL_MAX_BYTES = 1_000_000;
