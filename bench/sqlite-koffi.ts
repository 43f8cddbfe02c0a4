/**
 * The benchmark's baseline only: libsqlite3 (Debian libsqlite3-0) called through koffi, the way
 * the campaign store reached SQLite before it moved to node:sqlite. Just what
 * bench/sqlite-bench.ts runs (open, exec, prepared run/all, close); errors are plain.
 */
import { openNativeLibrary } from '../drivers/native-library';

const SQLITE_OK = 0;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
const SQLITE_OPEN_READWRITE_CREATE_FULLMUTEX = 0x2 | 0x4 | 0x10000;
const SQLITE_TRANSIENT = -1;
const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_NULL = 5;

type Handle = unknown;
type Value = string | number | null;
// koffi's own type for a declared C function; each use below passes what the prototype declares.
type Fn = ReturnType<ReturnType<typeof openNativeLibrary>['func']>;

let lib: Record<string, Fn> | undefined;

function sqlite(): Record<string, Fn> {
  if (lib) return lib;
  const handle = openNativeLibrary('libsqlite3', ['libsqlite3.so.0', 'libsqlite3.so'], 'libsqlite3-0');
  const decls = [
    'int sqlite3_open_v2(const char *filename, _Out_ void **ppDb, int flags, const char *zVfs)',
    'int sqlite3_close_v2(void *db)',
    'const char *sqlite3_errmsg(void *db)',
    'int sqlite3_exec(void *db, const char *sql, void *cb, void *arg, void *errmsg)',
    'int sqlite3_prepare_v2(void *db, const char *sql, int nByte, _Out_ void **ppStmt, void *pzTail)',
    'int sqlite3_bind_int64(void *stmt, int i, int64_t v)',
    'int sqlite3_bind_double(void *stmt, int i, double v)',
    'int sqlite3_bind_text(void *stmt, int i, const char *v, int n, intptr_t destructor)',
    'int sqlite3_bind_null(void *stmt, int i)',
    'int sqlite3_step(void *stmt)',
    'int sqlite3_reset(void *stmt)',
    'int sqlite3_clear_bindings(void *stmt)',
    'int sqlite3_finalize(void *stmt)',
    'int sqlite3_column_count(void *stmt)',
    'const char *sqlite3_column_name(void *stmt, int i)',
    'int sqlite3_column_type(void *stmt, int i)',
    'int64_t sqlite3_column_int64(void *stmt, int i)',
    'double sqlite3_column_double(void *stmt, int i)',
    'const char *sqlite3_column_text(void *stmt, int i)',
  ];
  lib = Object.fromEntries(decls.map((d) => [/(\w+)\(/.exec(d)![1], handle.func(d)]));
  return lib;
}

class KoffiStatement {
  constructor(
    private readonly db: KoffiSqlite,
    private readonly stmt: Handle,
  ) {}

  run(...params: Value[]): void {
    this.bind(params);
    const rc = sqlite().sqlite3_step(this.stmt);
    sqlite().sqlite3_reset(this.stmt);
    if (rc !== SQLITE_DONE && rc !== SQLITE_ROW) this.db.fail('sqlite3_step', rc);
  }

  all(...params: Value[]): Record<string, Value>[] {
    const s = sqlite();
    this.bind(params);
    const rows: Record<string, Value>[] = [];
    for (let rc = s.sqlite3_step(this.stmt); rc !== SQLITE_DONE; rc = s.sqlite3_step(this.stmt)) {
      if (rc !== SQLITE_ROW) this.db.fail('sqlite3_step', rc);
      const row: Record<string, Value> = {};
      for (let i = 0, n = s.sqlite3_column_count(this.stmt); i < n; i++) {
        const type = s.sqlite3_column_type(this.stmt, i);
        row[s.sqlite3_column_name(this.stmt, i)] =
          type === SQLITE_INTEGER
            ? Number(s.sqlite3_column_int64(this.stmt, i))
            : type === SQLITE_FLOAT
              ? s.sqlite3_column_double(this.stmt, i)
              : type === SQLITE_NULL
                ? null
                : s.sqlite3_column_text(this.stmt, i);
      }
      rows.push(row);
    }
    s.sqlite3_reset(this.stmt);
    return rows;
  }

  get(...params: Value[]): Record<string, Value> | undefined {
    return this.all(...params)[0];
  }

  finalize(): void {
    sqlite().sqlite3_finalize(this.stmt);
  }

  private bind(params: Value[]): void {
    const s = sqlite();
    s.sqlite3_clear_bindings(this.stmt);
    params.forEach((v, i) => {
      const rc =
        v === null
          ? s.sqlite3_bind_null(this.stmt, i + 1)
          : typeof v === 'string'
            ? s.sqlite3_bind_text(this.stmt, i + 1, v, -1, SQLITE_TRANSIENT)
            : Number.isInteger(v)
              ? s.sqlite3_bind_int64(this.stmt, i + 1, v)
              : s.sqlite3_bind_double(this.stmt, i + 1, v);
      if (rc !== SQLITE_OK) this.db.fail('sqlite3_bind', rc);
    });
  }
}

export class KoffiSqlite {
  private readonly db: Handle;
  private readonly statements: KoffiStatement[] = [];

  constructor(path: string) {
    const out: [Handle | null] = [null];
    const rc = sqlite().sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE_CREATE_FULLMUTEX, null);
    if (rc !== SQLITE_OK) throw new Error(`sqlite3_open_v2(${path}) failed (${rc})`);
    this.db = out[0];
  }

  exec(sql: string): void {
    const rc = sqlite().sqlite3_exec(this.db, sql, null, null, null);
    if (rc !== SQLITE_OK) this.fail('sqlite3_exec', rc);
  }

  prepare(sql: string): KoffiStatement {
    const out: [Handle | null] = [null];
    const rc = sqlite().sqlite3_prepare_v2(this.db, sql, -1, out, null);
    if (rc !== SQLITE_OK) this.fail(`sqlite3_prepare_v2 (${sql})`, rc);
    const st = new KoffiStatement(this, out[0]);
    this.statements.push(st);
    return st;
  }

  close(): void {
    for (const s of this.statements) s.finalize();
    sqlite().sqlite3_close_v2(this.db);
  }

  /** @internal */
  fail(fn: string, rc: number): never {
    throw new Error(`${fn} failed (${rc}): ${sqlite().sqlite3_errmsg(this.db)}`);
  }
}
