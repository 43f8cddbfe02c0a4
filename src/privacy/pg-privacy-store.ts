import { PrivacyBinding, PrivacyMode } from './privacy-binding';
import { PrivacyBindingStore, PrivacyStoreError } from './privacy-store';

/** What this store needs of a PostgreSQL connection: one statement at a time (PgCampaignStore.sql, a pg Pool). */
export interface SqlRunner {
  sql(doing: string, text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/**
 * Privacy-number bindings in the centre's PostgreSQL store (table privacy_bindings,
 * src/campaign/pg-migrations.ts), shared by every gateway: X is bound at most once
 * across the centre (the primary key decides, not a read before the write).
 * Each call is one committed statement.
 */
export class PgPrivacyStore implements PrivacyBindingStore {
  constructor(private readonly db: SqlRunner) {}

  async insert(b: PrivacyBinding): Promise<boolean> {
    const r = await this.run(
      'adding a binding',
      'INSERT INTO privacy_bindings (x, a, b, mode, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (x) DO NOTHING',
      [b.x, b.a, b.b, b.mode, b.createdAt, b.expiresAt],
    );
    return r.rowCount === 1;
  }

  async remove(x: string): Promise<PrivacyBinding | undefined> {
    const r = await this.run('removing a binding', 'DELETE FROM privacy_bindings WHERE x = $1 RETURNING *', [x]);
    return r.rows[0] ? fromRow(r.rows[0]) : undefined;
  }

  async get(x: string): Promise<PrivacyBinding | undefined> {
    const r = await this.run('reading a binding', 'SELECT * FROM privacy_bindings WHERE x = $1', [x]);
    return r.rows[0] ? fromRow(r.rows[0]) : undefined;
  }

  async list(): Promise<PrivacyBinding[]> {
    return (await this.run('listing bindings', 'SELECT * FROM privacy_bindings ORDER BY x COLLATE "C"')).rows.map(fromRow);
  }

  async removeExpired(now: number): Promise<PrivacyBinding[]> {
    const r = await this.run('releasing expired bindings', 'DELETE FROM privacy_bindings WHERE expires_at <= $1 RETURNING *', [now]);
    return r.rows.map(fromRow).sort((p, q) => (p.x < q.x ? -1 : p.x > q.x ? 1 : 0));
  }

  private async run(doing: string, text: string, params: unknown[] = []) {
    try {
      return await this.db.sql(doing, text, params);
    } catch (err) {
      throw new PrivacyStoreError(doing, err);
    }
  }
}

function fromRow(r: Record<string, unknown>): PrivacyBinding {
  return {
    x: String(r.x),
    a: String(r.a),
    b: String(r.b),
    mode: String(r.mode) as PrivacyMode,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}
