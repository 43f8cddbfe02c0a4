/**
 * Test support: runs a describe block with libfakedahdi.so interposing in the
 * process. A jest worker cannot preload a library into itself after it started,
 * so when the library is not there, the block becomes one test that runs this
 * same test file again in a child jest with LD_PRELOAD set, and passes or fails
 * with it (its output is in the failure message).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fakeDahdiLibraryPath } from '../../simulator/dahdi/fake-dahdi-lib';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';

export function describeWithFakeDahdi(title: string, testFile: string, body: () => void): void {
  if (SimulatedDahdi.available()) {
    describe(title, body);
    return;
  }
  test(`${title} (in a child jest with LD_PRELOAD=libfakedahdi.so)`, () => {
    const lib = fakeDahdiLibraryPath();
    if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: run scripts/setup (make -C native)`);
    const root = path.dirname(path.dirname(lib));
    const jest = require.resolve('jest/bin/jest', { paths: [root] });
    const res = spawnSync(process.execPath, [jest, '--ci', '--runInBand', '--runTestsByPath', testFile], {
      cwd: root,
      env: { ...process.env, LD_PRELOAD: lib },
      encoding: 'utf8',
      timeout: 110_000,
    });
    if (res.status !== 0) {
      throw new Error(`child jest failed (status ${res.status}, signal ${res.signal}):\n${res.stdout}\n${res.stderr}`);
    }
  }, 120_000);
}

/**
 * Resolves once `pred` holds, letting the event loop (and so libuv's polls) run in
 * between: quick turns first, then 1 ms sleeps so a long wait does not hold a core
 * that other jest workers need.
 */
export async function until(pred: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let turn = 0; !pred(); turn++) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => (turn < 200 ? setImmediate(r) : setTimeout(r, 1)));
  }
}
