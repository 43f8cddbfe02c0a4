/**
 * The userspace DAHDI's C code as a careless program meets it (native/fakedahdi-probe.c:
 * NULL ioctl arguments, bad channel numbers, oversized frames, a frame flood): run
 * plainly, once under AddressSanitizer (Debian's gcc), and all native code compiled
 * with -Wall -Wextra -Werror.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const NATIVE = join(ROOT, 'native');
const ENV = { TRUNKPILOT_FAKEDAHDI_SPANS: 'e1-ccs,e1-ccs', TRUNKPILOT_FAKEDAHDI_CABLES: '1-2', TRUNKPILOT_FAKEDAHDI_CLOCK: '5' };

function runProbe(dir: string, preload: string) {
  return spawnSync(join(dir, 'fakedahdi-probe'), [], {
    env: { ...process.env, ...ENV, LD_PRELOAD: preload },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tp-native-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('answers NULL ioctl arguments, bad frames and floods as DAHDI does, without crashing', () => {
  const build = join(ROOT, 'build');
  if (!existsSync(join(build, 'fakedahdi-probe'))) throw new Error('build/fakedahdi-probe is missing: run scripts/setup (make -C native)');
  const res = runProbe(build, join(build, 'libfakedahdi.so'));
  expect(res.stderr).toBe('');
  expect(res.signal).toBeNull();
  expect(res.status).toBe(0);
});

it('compiles every native source with -Wall -Wextra and no warning', () => {
  const out = join(tmp, 'werror');
  const res = spawnSync('make', ['-s', '-B', '-C', NATIVE, `OUT=${out}`, 'CFLAGS=-O2 -Wall -Wextra -Werror'], { encoding: 'utf8' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
});

it('runs clean under AddressSanitizer (no overflow, use-after-free or leak)', () => {
  const out = join(tmp, 'asan-build');
  execFileSync('make', ['-s', '-C', NATIVE, `OUT=${out}`, 'asan'], { encoding: 'utf8' });
  // The ASan runtime must come first in the process, before the interposing library.
  const asan = realpathSync(execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim());
  const res = runProbe(join(out, 'asan'), `${asan} ${join(out, 'asan', 'libfakedahdi.so')}`);
  expect(res.stderr).not.toMatch(/AddressSanitizer|LeakSanitizer/);
  expect(res.stdout).toContain('probe: all answers as expected');
  expect(res.status).toBe(0);
});
