import { NativeCallError, TrunkpilotError } from '../../src/core/errors';
import { Handle, LibSqlite, loadSqlite, SQLITE_DONE, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_OK, SQLITE_OPEN_CREATE, SQLITE_OPEN_FULLMUTEX, SQLITE_OPEN_READWRITE, SQLITE_ROW, SQLITE_TEXT, SQLITE_TRANSIENT } from './ffi';

/**
 * An embedded SQLite database through libsqlite3: open, run statements with
 * bound parameters, read rows as plain objects. Synchronous, like the library.
 */
export type SqlValue = number | string | null;
export type Row = Record<string, SqlValue>;

export class SqliteError extends TrunkpilotError {
  constructor(readonly fn: string, readonly result: number, detail: string) {
    super('NATIVE_CALL_FAILED', `${fn} failed (${result}): ${detail}`);
  }
}

export class Statement {
  private closed = false;

  constructor(
    private readonly db: SqliteDb,
    private readonly lib: LibSqlite,
    private handle: Handle | null,
    readonly sql: string,
  ) {}

  /** Runs to completion; returns the rows changed and the last inserted row id. */
  run(...params: SqlValue[]): { changes: number; lastId: number } {
    this.bind(params);
    const rc = this.lib.sqlite3_step(this.live());
    this.lib.sqlite3_reset(this.live());
    if (rc !== SQLITE_DONE && rc !== SQLITE_ROW) throw this.db.error('sqlite3_step', rc);
    return { changes: this.lib.sqlite3_changes(this.db.handle), lastId: Number(this.lib.sqlite3_last_insert_rowid(this.db.handle)) };
  }

  all(...params: SqlValue[]): Row[] {
    this.bind(params);
    const rows: Row[] = [];
    const stmt = this.live();
    try {
      for (;;) {
        const rc = this.lib.sqlite3_step(stmt);
        if (rc === SQLITE_DONE) break;
        if (rc !== SQLITE_ROW) throw this.db.error('sqlite3_step', rc);
        const row: Row = {};
        const n = this.lib.sqlite3_column_count(stmt);
        for (let i = 0; i < n; i++) row[this.lib.sqlite3_column_name(stmt, i)] = this.column(stmt, i);
        rows.push(row);
      }
    } finally {
      this.lib.sqlite3_reset(stmt);
    }
    return rows;
  }

  get(...params: SqlValue[]): Row | undefined {
    return this.all(...params)[0];
  }

  /** Frees the statement for good. */
  finalize(): void {
    this.release();
    this.closed = true;
    this.db.forget(this);
  }

  /** @internal Frees the native statement; a later use prepares it again. */
  release(): void {
    if (this.handle) this.lib.sqlite3_finalize(this.handle);
    this.handle = null;
  }

  private live(): Handle {
    if (this.closed) throw new TrunkpilotError('CLOSED', `statement is finalized: ${this.sql}`);
    if (!this.handle) this.handle = this.db.reprepare(this);
    this.db.touch(this);
    return this.handle;
  }

  private bind(params: SqlValue[]): void {
    const stmt = this.live();
    this.lib.sqlite3_clear_bindings(stmt);
    params.forEach((v, i) => {
      const rc = v === null ? this.lib.sqlite3_bind_null(stmt, i + 1)
        : typeof v === 'string' ? this.lib.sqlite3_bind_text(stmt, i + 1, v, -1, SQLITE_TRANSIENT)
          : Number.isInteger(v) ? this.lib.sqlite3_bind_int64(stmt, i + 1, v)
            : this.lib.sqlite3_bind_double(stmt, i + 1, v);
      if (rc !== SQLITE_OK) throw this.db.error('sqlite3_bind', rc);
    });
  }

  private column(stmt: Handle, i: number): SqlValue {
    switch (this.lib.sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return Number(this.lib.sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return this.lib.sqlite3_column_double(stmt, i);
      case SQLITE_TEXT:
        return this.lib.sqlite3_column_text(stmt, i);
      case SQLITE_NULL:
        return null;
      default:
        return this.lib.sqlite3_column_text(stmt, i);
    }
  }
}

/** Native statements kept prepared at once; the least recently used beyond this are freed. */
const MAX_LIVE_STATEMENTS = 64;

export class SqliteDb {
  /** @internal */
  handle: Handle;
  private readonly lib: LibSqlite;
  /** SQL text to its statement: preparing the same SQL again reuses it (a one-off query in a loop kept 5,006 statements alive). */
  private readonly bySql = new Map<string, Statement>();
  /** Statements holding a native handle, least recently used first. */
  private readonly live = new Set<Statement>();

  constructor(readonly path: string) {
    this.lib = loadSqlite();
    const out: [Handle | null] = [null];
    const rc = this.lib.sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, null);
    if (rc !== SQLITE_OK || !out[0]) {
      if (out[0]) this.lib.sqlite3_close_v2(out[0]);
      throw new NativeCallError(`sqlite3_open_v2(${path})`, rc);
    }
    this.handle = out[0];
  }

  exec(sql: string): void {
    const rc = this.lib.sqlite3_exec(this.handle, sql, null, null, null);
    if (rc !== SQLITE_OK) throw this.error('sqlite3_exec', rc);
  }

  /**
   * A statement for `sql`: the same object for the same text, so calling prepare()
   * in a loop costs nothing. At most MAX_LIVE_STATEMENTS hold native memory; one
   * freed for room is prepared again when next used.
   */
  prepare(sql: string): Statement {
    const known = this.bySql.get(sql);
    if (known) return known;
    const st = new Statement(this, this.lib, this.nativePrepare(sql), sql);
    this.bySql.set(sql, st);
    this.touch(st);
    return st;
  }

  /** Native statements held now (for tests and diagnostics). */
  liveStatements(): number {
    return this.live.size;
  }

  /** @internal */
  reprepare(st: Statement): Handle {
    return this.nativePrepare(st.sql);
  }

  /** @internal Marks a statement used; frees the least recently used beyond the limit. */
  touch(st: Statement): void {
    this.live.delete(st);
    this.live.add(st);
    while (this.live.size > MAX_LIVE_STATEMENTS) {
      const oldest = this.live.values().next().value as Statement;
      this.live.delete(oldest);
      oldest.release();
    }
  }

  /** @internal */
  forget(st: Statement): void {
    this.live.delete(st);
    if (this.bySql.get(st.sql) === st) this.bySql.delete(st.sql);
  }

  private nativePrepare(sql: string): Handle {
    const out: [Handle | null] = [null];
    const rc = this.lib.sqlite3_prepare_v2(this.handle, sql, -1, out, null);
    if (rc !== SQLITE_OK || !out[0]) throw this.error(`sqlite3_prepare_v2 (${sql.slice(0, 200)})`, rc);
    return out[0];
  }

  /** Runs fn in one transaction (committed when it returns, rolled back when it throws). */
  transaction<T>(fn: () => T): T {
    this.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      this.exec('COMMIT');
      return r;
    } catch (err) {
      this.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    for (const s of [...this.bySql.values()]) s.finalize();
    this.lib.sqlite3_close_v2(this.handle);
  }

  /** @internal */
  error(fn: string, rc: number): SqliteError {
    return new SqliteError(fn, rc, this.lib.sqlite3_errmsg(this.handle));
  }
}
