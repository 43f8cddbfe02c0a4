/**
 * SQLite's C API as koffi declarations (Debian package libsqlite3-0): the one file
 * that knows the prototypes. `sqlite3 *` and `sqlite3_stmt *` stay opaque.
 */
import { openNativeLibrary } from '../native-library';

export const SQLITE_OK = 0;
export const SQLITE_ROW = 100;
export const SQLITE_DONE = 101;
export const SQLITE_OPEN_READWRITE = 0x2;
export const SQLITE_OPEN_CREATE = 0x4;
export const SQLITE_OPEN_FULLMUTEX = 0x10000;
/** Destructor value telling sqlite to copy bound text at once. */
export const SQLITE_TRANSIENT = -1;
export const SQLITE_INTEGER = 1;
export const SQLITE_FLOAT = 2;
export const SQLITE_TEXT = 3;
export const SQLITE_NULL = 5;

export type Handle = unknown;

export interface LibSqlite {
  sqlite3_open_v2(filename: string, out: [Handle | null], flags: number, vfs: string | null): number;
  sqlite3_close_v2(db: Handle): number;
  sqlite3_errmsg(db: Handle): string;
  sqlite3_exec(db: Handle, sql: string, cb: null, arg: null, err: null): number;
  sqlite3_prepare_v2(db: Handle, sql: string, n: number, out: [Handle | null], tail: null): number;
  sqlite3_bind_int64(stmt: Handle, i: number, v: number | bigint): number;
  sqlite3_bind_double(stmt: Handle, i: number, v: number): number;
  sqlite3_bind_text(stmt: Handle, i: number, v: string, n: number, destructor: number): number;
  sqlite3_bind_null(stmt: Handle, i: number): number;
  sqlite3_step(stmt: Handle): number;
  sqlite3_reset(stmt: Handle): number;
  sqlite3_clear_bindings(stmt: Handle): number;
  sqlite3_finalize(stmt: Handle): number;
  sqlite3_column_count(stmt: Handle): number;
  sqlite3_column_name(stmt: Handle, i: number): string;
  sqlite3_column_type(stmt: Handle, i: number): number;
  sqlite3_column_int64(stmt: Handle, i: number): number | bigint;
  sqlite3_column_double(stmt: Handle, i: number): number;
  sqlite3_column_text(stmt: Handle, i: number): string;
  sqlite3_last_insert_rowid(db: Handle): number | bigint;
  sqlite3_changes(db: Handle): number;
}

const LIBRARY_NAMES = ['libsqlite3.so.0', 'libsqlite3.so'];
let cached: LibSqlite | undefined;

/** Loads libsqlite3 once per process. Throws NativeLibraryError naming the package. */
export function loadSqlite(): LibSqlite {
  if (cached) return cached;
  const handle = openNativeLibrary('libsqlite3', LIBRARY_NAMES, 'libsqlite3-0');
  const f = (decl: string) => handle.func(decl);
  cached = {
    sqlite3_open_v2: f('int sqlite3_open_v2(const char *filename, _Out_ void **ppDb, int flags, const char *zVfs)'),
    sqlite3_close_v2: f('int sqlite3_close_v2(void *db)'),
    sqlite3_errmsg: f('const char *sqlite3_errmsg(void *db)'),
    sqlite3_exec: f('int sqlite3_exec(void *db, const char *sql, void *cb, void *arg, void *errmsg)'),
    sqlite3_prepare_v2: f('int sqlite3_prepare_v2(void *db, const char *sql, int nByte, _Out_ void **ppStmt, void *pzTail)'),
    sqlite3_bind_int64: f('int sqlite3_bind_int64(void *stmt, int i, int64_t v)'),
    sqlite3_bind_double: f('int sqlite3_bind_double(void *stmt, int i, double v)'),
    sqlite3_bind_text: f('int sqlite3_bind_text(void *stmt, int i, const char *v, int n, intptr_t destructor)'),
    sqlite3_bind_null: f('int sqlite3_bind_null(void *stmt, int i)'),
    sqlite3_step: f('int sqlite3_step(void *stmt)'),
    sqlite3_reset: f('int sqlite3_reset(void *stmt)'),
    sqlite3_clear_bindings: f('int sqlite3_clear_bindings(void *stmt)'),
    sqlite3_finalize: f('int sqlite3_finalize(void *stmt)'),
    sqlite3_column_count: f('int sqlite3_column_count(void *stmt)'),
    sqlite3_column_name: f('const char *sqlite3_column_name(void *stmt, int i)'),
    sqlite3_column_type: f('int sqlite3_column_type(void *stmt, int i)'),
    sqlite3_column_int64: f('int64_t sqlite3_column_int64(void *stmt, int i)'),
    sqlite3_column_double: f('double sqlite3_column_double(void *stmt, int i)'),
    sqlite3_column_text: f('const char *sqlite3_column_text(void *stmt, int i)'),
    sqlite3_last_insert_rowid: f('int64_t sqlite3_last_insert_rowid(void *db)'),
    sqlite3_changes: f('int sqlite3_changes(void *db)'),
  } as unknown as LibSqlite;
  return cached;
}
