import type { DatabaseSync } from 'node:sqlite';
import { TrunkpilotError } from '../core/errors';
import { PrivacyBinding, PrivacyMode } from './privacy-binding';

/**
 * Where bindings are kept. The SQLite one shares the campaign store's file (its
 * table comes from src/campaign/store-migrations.ts); another database implements
 * the same few calls (a value or a promise of it: SQLite answers at once, a server
 * over the network; callers always await). A write has committed when it returns.
 */
export type Awaitable<T> = T | Promise<T>;

export interface PrivacyBindingStore {
  /** Adds a binding; false (and nothing written) when X already has one. */
  insert(binding: PrivacyBinding): Awaitable<boolean>;
  /** Removes X's binding; the removed one, or undefined when X had none. */
  remove(x: string): Awaitable<PrivacyBinding | undefined>;
  get(x: string): Awaitable<PrivacyBinding | undefined>;
  /** Every binding, X order. */
  list(): Awaitable<PrivacyBinding[]>;
  /** Removes the bindings whose expiry is at or before `now`; returns them. */
  removeExpired(now: number): Awaitable<PrivacyBinding[]>;
}

export class PrivacyStoreError extends TrunkpilotError {
  constructor(doing: string, cause: unknown) {
    const said = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    super('STORAGE_FAILED', `privacy bindings: ${doing} failed: ${said}`);
  }
}

type Row = Record<string, unknown>;

function fromRow(r: Row): PrivacyBinding {
  return {
    x: String(r.x),
    a: String(r.a),
    b: String(r.b),
    mode: String(r.mode) as PrivacyMode,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

export class SqlitePrivacyStore implements PrivacyBindingStore {
  constructor(private readonly db: DatabaseSync) {}

  insert(b: PrivacyBinding): boolean {
    return this.run('adding a binding', () => {
      const r = this.db
        .prepare('INSERT OR IGNORE INTO privacy_bindings (x, a, b, mode, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(b.x, b.a, b.b, b.mode, b.createdAt, b.expiresAt);
      return Number(r.changes) === 1;
    });
  }

  remove(x: string): PrivacyBinding | undefined {
    return this.run('removing a binding', () => {
      const row = this.db.prepare('DELETE FROM privacy_bindings WHERE x = ? RETURNING *').get(x);
      return row ? fromRow(row) : undefined;
    });
  }

  get(x: string): PrivacyBinding | undefined {
    const row = this.db.prepare('SELECT * FROM privacy_bindings WHERE x = ?').get(x);
    return row ? fromRow(row) : undefined;
  }

  list(): PrivacyBinding[] {
    return this.db.prepare('SELECT * FROM privacy_bindings ORDER BY x').all().map(fromRow);
  }

  removeExpired(now: number): PrivacyBinding[] {
    return this.run('releasing expired bindings', () =>
      this.db.prepare('DELETE FROM privacy_bindings WHERE expires_at <= ? RETURNING *').all(now).map(fromRow),
    );
  }

  /** A binding is synced to disk before the call returns: a restart finds exactly what was acknowledged. */
  private run<T>(doing: string, fn: () => T): T {
    try {
      this.db.exec('PRAGMA synchronous=FULL');
      try {
        return fn();
      } finally {
        this.db.exec('PRAGMA synchronous=NORMAL');
      }
    } catch (err) {
      throw new PrivacyStoreError(doing, err);
    }
  }
}
