/**
 * A test run must leave the checkout as it found it: a test that writes beside the code, or a
 * lockfile rewritten under it, makes every clean clone dirty after `npm test`. Jest's global
 * setup and teardown (jest.config.js) compare `git status --porcelain` before and after the
 * run and fail it naming what it changed. Paths already changed before the run are left out;
 * outside a git checkout there is nothing to compare.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The lines of `git status --porcelain`, or undefined outside a git checkout. */
export function treeStatus(): string[] | undefined {
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** The entries in `after` that were not in `before`. */
export function changedDuring(before: string[], after: string[]): string[] {
  const seen = new Set(before);
  return after.filter((line) => !seen.has(line));
}

type GuardGlobal = typeof globalThis & { trunkpilotTreeBefore?: string[] };

export async function snapshotTree(): Promise<void> {
  (globalThis as GuardGlobal).trunkpilotTreeBefore = treeStatus();
}

export async function checkTreeUnchanged(): Promise<void> {
  const before = (globalThis as GuardGlobal).trunkpilotTreeBefore;
  const after = treeStatus();
  if (!before || !after) return;
  const changed = changedDuring(before, after);
  if (changed.length) {
    throw new Error(
      `the test run changed the checkout (tests write under a temporary directory, never beside the code):\n  ${changed.join('\n  ')}`,
    );
  }
}
