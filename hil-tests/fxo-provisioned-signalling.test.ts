/**
 * The FXO signalling `provision` writes is the one the runtime opens (issue 19): the
 * shipped FXO site is provisioned, DAHDI's own dahdi_cfg reads the generated
 * system.conf onto a userspace DAHDI board of the same shape and says what each
 * channel becomes, the simulated channels are configured that way, and `trunkpilot
 * dial` on the same site opens them. A channel configured otherwise (kewlstart, as
 * trunkpilot used to write) is refused with a message naming the channel and both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../app/trunkpilot';
import { DAHDI } from '../drivers/dahdi/abi';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { CliIO } from '../src/cli/cli-io';
import { systemClock } from '../src/core/clock';
import { checkFxoLineChannel } from '../src/site/site-trunks';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';

const FXO_SITE = join(__dirname, '..', 'board-profiles', 'sites', 'fxo.yaml');
const dahdiCfg = ['/usr/sbin/dahdi_cfg', '/sbin/dahdi_cfg'].find((p) => existsSync(p));
/** dahdi_cfg -vv's names for the signalling it configures, as DAHDI's sigtype. */
const DAHDI_NAMES: Record<string, number> = { 'FXS Loopstart': DAHDI.SIG_FXSLS, 'FXS Kewlstart': DAHDI.SIG_FXSKS, 'FXO Kewlstart': DAHDI.SIG_FXOKS };

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) } as CliIO & { out: string; err: string };
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** dahdi_cfg -vv applying a system.conf to a userspace DAHDI with the A1200P's shape: 4 FXO ports, 8 FXS. */
function dahdiCfgOnFxoBoard(conf: string): { status: number | null; channels: Map<number, string>; stderr: string } {
  const env = { ...process.env, TRUNKPILOT_FAKEDAHDI_SPANS: 'fxo:4,fxs:8', LD_PRELOAD: fakeDahdiLibraryPath() };
  // dahdi_cfg leaves a named semaphore in /dev/shm when it fails: a private one per run.
  const script = 'mount --make-rprivate / && mount -t tmpfs tmpfs /dev/shm && exec "$0" -vv -c "$1"';
  const run = spawnSync('unshare', ['-m', 'sh', '-c', script, dahdiCfg!, conf], { encoding: 'utf8', env, timeout: 20_000 });
  const channels = new Map<number, string>();
  for (const m of run.stdout.matchAll(/^Channel (\d+): (FX[SO] \w+)/gm)) channels.set(Number(m[1]), m[2]);
  return { status: run.status, channels, stderr: run.stderr };
}

describeWithFakeDahdi('FXO lines: what provision writes is what the runtime opens', __filename, () => {
  let root: string;
  let sim: SimulatedDahdi;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tp-fxo-prov-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
    sim.addSpan('fxo', { ports: 4 });
    sim.startClock(systemClock);
  });
  afterEach(() => {
    sim.stopClock();
    sim.reset();
  });

  it('provisions fxo.yaml as loop start, DAHDI configures it so, and dial opens those channels', async () => {
    expect(dahdiCfg).toBeDefined();
    expect((await cli('provision', 'apply', '--site', FXO_SITE, '--root', root, '--yes')).code).toBe(0);
    const conf = join(root, 'etc/dahdi/system.conf');
    expect(readFileSync(conf, 'utf8')).toMatch(/^fxsls=1-4$/m);
    const cfg = dahdiCfgOnFxoBoard(conf);
    expect(cfg.stderr).not.toMatch(/error|fail/i);
    expect(cfg.status).toBe(0);
    expect([1, 2, 3, 4].map((c) => cfg.channels.get(c))).toEqual(Array(4).fill('FXS Loopstart'));
    expect(cfg.channels.get(5)).toBe('FXO Kewlstart'); // the seat ports

    // The simulated board configured as dahdi_cfg just read the file; then the runtime opens the site's lines.
    for (const c of [1, 2, 3, 4]) sim.configureChannel(c, DAHDI_NAMES[cfg.channels.get(c)!]);
    const dial = await cli('dial', '--site', FXO_SITE, '--group', 'pstn-lines', '--number', '88001234', '--json');
    expect(dial.err).toBe('');
    // Opened and seized the highest port; the simulated exchange line gives no dial tone here (cause 38).
    expect(JSON.parse(dial.out)).toMatchObject({ span: 1, channel: 4, cause: 38 });
  });

  it('refuses lines DAHDI configured as kewlstart, naming the channel and both signallings', async () => {
    for (const c of [1, 2, 3, 4]) sim.configureChannel(c, DAHDI.SIG_FXSKS);
    const dial = await cli('dial', '--site', FXO_SITE, '--group', 'pstn-lines', '--number', '88001234');
    expect(dial.code).not.toBe(0);
    expect(dial.err).toContain('DAHDI channel 1 is configured fxsks (FXS kewlstart), but FXO lines are fxsls (FXS loop start): run trunkpilot provision apply, then dahdi_cfg -vv');
    expect(sim.channelState(1).open).toBe(false);
  });

  it('the check names an unconfigured channel too', () => {
    expect(() => checkFxoLineChannel(7, 0)).toThrow('DAHDI channel 7 is not configured, but FXO lines are fxsls');
    expect(() => checkFxoLineChannel(7, DAHDI.SIG_FXSLS)).not.toThrow();
  });
});
