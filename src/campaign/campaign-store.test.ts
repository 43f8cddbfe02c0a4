import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStore, CampaignStoreError } from './campaign-store';

import { tsChildArgs } from '../../test-support/run-ts';

/** Runs the helper; kills it with SIGKILL after `killAfterDials` dials, if given. */
function runChild(db: string, seed: string, killAfterDials?: number): Promise<{ dials: string[]; done: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsChildArgs('campaign/store-crash-child.ts', db, seed), { stdio: ['ignore', 'pipe', 'pipe'] });
    const dials: string[] = [];
    let done = false;
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('DIAL ')) dials.push(line.slice(5));
        if (line === 'DONE') done = true;
        if (killAfterDials !== undefined && dials.length === killAfterDials) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 || signal === 'SIGKILL' ? resolve({ dials, done }) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

test('kill -9 in the middle of a campaign: nothing recorded is lost, and the restart dials nobody twice for one attempt', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'campaign.db');
  const first = await runChild(db, '1', 12);
  expect(first.done).toBe(false);
  expect(first.dials.length).toBeGreaterThanOrEqual(12);

  // What the crash left: every dial has its attempt row, written before the dial.
  const store = new CampaignStore(db);
  const afterCrash = store.attempts('crash');
  expect(afterCrash.length).toBeGreaterThanOrEqual(first.dials.length);
  const inFlight = store.inFlight('crash');
  expect(inFlight.length).toBeGreaterThan(0);
  store.close();

  const second = await runChild(db, '2');
  expect(second.done).toBe(true);
  const final = new CampaignStore(db);
  const rows = final.attempts('crash');
  // One row per dial, in order, across both runs: no dial without a record, no record dialled twice.
  // (A row with no dial is one the kill cut off between recording and dialling: it must be interrupted.)
  const dialled = [...first.dials, ...second.dials];
  let j = 0;
  for (const r of rows) {
    if (r.number === dialled[j]) j++;
    else expect(r.state).toBe('interrupted');
  }
  expect(j).toBe(dialled.length);
  // The attempts cut off by the crash are closed as interrupted, not redialled as themselves.
  const interrupted = rows.filter((r) => r.state === 'interrupted');
  expect(interrupted.map((r) => r.id)).toEqual(inFlight.map((a) => a.attemptId));
  expect(rows.filter((r) => r.state === 'dialling')).toEqual([]);
  expect(rows.every((r) => r.outcome !== null)).toBe(true);
  // And the list was worked to the end.
  expect(final.openContacts('crash')).toEqual([]);
  final.close();
});

test('a store file that is not a database is a typed error naming the file, not a crash later', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-store-')), 'notes.db');
  writeFileSync(path, 'these are my notes, not a campaign store\n'.repeat(100));
  expect(() => new CampaignStore(path)).toThrow(CampaignStoreError);
  expect(() => new CampaignStore(path)).toThrow(`campaign store ${path}: opening failed: file is not a database`);
});
