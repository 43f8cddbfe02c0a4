import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb, SqliteError } from './sqlite-db';

describe('SqliteDb (libsqlite3 through koffi)', () => {
  const db = new SqliteDb(join(mkdtempSync(join(tmpdir(), 'tp-sqlite-')), 't.db'));
  afterAll(() => db.close());

  test('statements with bound text, integers, reals and nulls round-trip', () => {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT)');
    const ins = db.prepare('INSERT INTO t (name, score, note) VALUES (?, ?, ?)');
    expect(ins.run('张三', 1.5, null)).toEqual({ changes: 1, lastId: 1 });
    expect(ins.run("O'Brien", 2, 'x')).toEqual({ changes: 1, lastId: 2 });
    expect(db.prepare('SELECT * FROM t ORDER BY id').all()).toEqual([
      { id: 1, name: '张三', score: 1.5, note: null },
      { id: 2, name: "O'Brien", score: 2, note: 'x' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM t WHERE score > ?').get(1)).toEqual({ n: 2 });
  });

  test('a transaction that throws leaves nothing behind', () => {
    expect(() => db.transaction(() => {
      db.prepare("INSERT INTO t (name) VALUES ('gone')").run();
      throw new Error('abort');
    })).toThrow('abort');
    expect(db.prepare("SELECT count(*) AS n FROM t WHERE name = 'gone'").get()).toEqual({ n: 0 });
  });

  test('preparing in a loop keeps a bounded number of native statements, and each still works', () => {
    for (let i = 0; i < 5000; i++) db.prepare('SELECT count(*) AS n FROM t WHERE score > ?').get(i);
    expect(db.liveStatements()).toBeLessThanOrEqual(5);
    // Distinct SQL beyond the limit: the oldest are freed and prepared again when used.
    for (let i = 0; i < 200; i++) expect(db.prepare(`SELECT ${i} AS v`).get()).toEqual({ v: i });
    expect(db.liveStatements()).toBeLessThanOrEqual(64);
    expect(db.prepare('SELECT 3 AS v').get()).toEqual({ v: 3 });
    const once = db.prepare('SELECT 1 AS one');
    once.finalize();
    expect(() => once.get()).toThrow(/statement is finalized/);
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
  });

  test('bad SQL is a typed error carrying sqlite\'s message', () => {
    expect(() => db.prepare('SELEC 1')).toThrow(SqliteError);
    expect(() => db.prepare('SELEC 1')).toThrow(/near "SELEC": syntax error/);
  });
});
