/**
 * DAHDI's own parser as the last check of a generated system.conf: `dahdi_cfg -t`
 * (test mode: parse and check, configure nothing). dahdi_cfg opens /dev/dahdi/ctl
 * before it reads the file, even in test mode, so:
 *  - with DAHDI loaded (/dev/dahdi/ctl present) it runs as it is, on a temporary copy:
 *    test mode issues no configuration ioctl (checked against the userspace DAHDI: a
 *    span= line for a span that does not exist passes -t and fails without it), so
 *    it neither touches the running configuration nor needs the boards to be in;
 *  - without it (a staging root, a machine before the drivers are in) it runs in a
 *    private mount namespace (unshare -m) where /dev is an empty tmpfs holding an
 *    empty dahdi/ctl: nothing outside that one process sees the mount, and test
 *    mode issues no ioctl on ctl. This needs root (as writing /etc does);
 *  - when neither is possible, or dahdi_cfg is not installed, the check is reported
 *    as not run, with the reason, rather than silently passed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type DahdiCfgCheck =
  | { outcome: 'passed'; how: 'dahdi' | 'private-namespace' }
  | { outcome: 'failed'; errors: string[] }
  | { outcome: 'not-run'; reason: string };

const DAHDI_CFG_PATHS = ['/usr/sbin/dahdi_cfg', '/sbin/dahdi_cfg'];
const CTL = '/dev/dahdi/ctl';
const TIMEOUT_MS = 20_000;

export function findDahdiCfg(): string | undefined {
  return DAHDI_CFG_PATHS.find((p) => existsSync(p));
}

/** The lines of dahdi_cfg's output that report a problem ("line N: ...", "N error(s) detected"). */
function errorLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^line \d+:|error/i.test(l));
}

export function checkSystemConf(content: string, opts: { dahdiCfg?: string } = {}): DahdiCfgCheck {
  const dahdiCfg = opts.dahdiCfg ?? findDahdiCfg();
  if (!dahdiCfg) return { outcome: 'not-run', reason: 'dahdi_cfg is not installed (Debian package dahdi)' };
  const dir = mkdtempSync(join(tmpdir(), 'trunkpilot-dahdi-cfg-'));
  try {
    const file = join(dir, 'system.conf');
    writeFileSync(file, content);
    let how: 'dahdi' | 'private-namespace';
    let run;
    if (existsSync(CTL)) {
      how = 'dahdi';
      run = spawnSync(dahdiCfg, ['-t', '-c', file], { encoding: 'utf8', timeout: TIMEOUT_MS });
    } else {
      if (process.getuid?.() !== 0) return { outcome: 'not-run', reason: `DAHDI is not loaded (${CTL} missing) and a private mount namespace needs root` };
      how = 'private-namespace';
      const script = 'mount --make-rprivate / && mount -t tmpfs tmpfs /dev && mkdir /dev/dahdi && : > /dev/dahdi/ctl && exec "$0" -t -c "$1"';
      run = spawnSync('unshare', ['-m', 'sh', '-c', script, dahdiCfg, file], { encoding: 'utf8', timeout: TIMEOUT_MS });
      if (run.error || (run.status !== 0 && !/line \d+:/.test(run.stderr ?? ''))) {
        const why = run.error ? String(run.error) : (run.stderr ?? '').trim().split('\n')[0];
        return { outcome: 'not-run', reason: `DAHDI is not loaded (${CTL} missing) and no private mount namespace could be made: ${why}` };
      }
    }
    if (run.error) return { outcome: 'not-run', reason: `dahdi_cfg could not run: ${run.error.message}` };
    if (run.status === 0) return { outcome: 'passed', how };
    const errors = errorLines(`${run.stderr ?? ''}\n${run.stdout ?? ''}`);
    return { outcome: 'failed', errors: errors.length ? errors : [`dahdi_cfg -t exited ${run.status}`] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
