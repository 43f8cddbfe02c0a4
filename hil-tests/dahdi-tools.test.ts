/**
 * DAHDI's own tools (Debian package dahdi) as clients of the userspace DAHDI,
 * through `trunkpilot sim exec`: dahdi_scan lists the simulated spans and the
 * alarms injected on them; dahdi_cfg applies a system.conf to them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIO } from '../src/cli/cli-io';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { simExecEnvironment } from '../simulator/cli/sim-exec';
import { main } from '../app/trunkpilot';

const dahdiScan = ['/usr/sbin/dahdi_scan', '/sbin/dahdi_scan'].find((p) => existsSync(p));
const dahdiCfg = ['/usr/sbin/dahdi_cfg', '/sbin/dahdi_cfg'].find((p) => existsSync(p));

async function exec(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false };
  const code = await main(['sim', 'exec', ...args], io);
  return { code, out, err };
}

/** dahdi_scan's "[N]" sections as key/value maps (repeated keys such as port= collected). */
function parseScan(text: string): Record<string, string | string[]>[] {
  const spans: Record<string, string | string[]>[] = [];
  for (const line of text.split('\n')) {
    if (/^\[\d+\]$/.test(line)) spans.push({});
    const m = /^(\w+)=(.*)$/.exec(line);
    if (!m || !spans.length) continue;
    const cur = spans[spans.length - 1];
    if (m[1] === 'port') cur.port = [...((cur.port as string[]) ?? []), m[2]];
    else cur[m[1]] = m[2];
  }
  return spans;
}

describe('DAHDI tools against the userspace DAHDI (trunkpilot sim exec)', () => {
  test('has dahdi_scan and dahdi_cfg (Debian package dahdi)', () => {
    expect(dahdiScan).toBeDefined();
    expect(dahdiCfg).toBeDefined();
  });

  test('dahdi_scan lists simulated PRI spans with type, framing, coding and alarms', async () => {
    const res = await exec(['--spans', '2', '--signalling', 'pri', '--', dahdiScan!]);
    expect(res.code).toBe(0);
    const spans = parseScan(res.out);
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s).toMatchObject({ active: 'yes', alarms: 'OK', type: 'digital-E1', framing: 'CCS/CRC4', coding: 'HDB3', totchans: '31' });
    }
    expect(spans.map((s) => s.basechan)).toEqual(['1', '32']);
  });

  test('dahdi_scan shows the alarm a test injects, and CAS and analog spans as such', async () => {
    const red = parseScan((await exec(['--spans', '2', '--fault', '2=LOS', '--', dahdiScan!])).out);
    expect(red.map((s) => s.alarms)).toEqual(['OK', 'RED']);
    const blue = parseScan((await exec(['--spans', '1', '--fault', '1=AIS+RAI', '--', dahdiScan!])).out);
    expect(blue[0].alarms).toBe('BLU/YEL');
    const cas = parseScan((await exec(['--spans', '1', '--signalling', 'r2-cn', '--', dahdiScan!])).out);
    expect(cas[0].framing).toBe('CAS');
    const fxo = parseScan((await exec(['--signalling', 'fxo', '--', dahdiScan!])).out);
    expect(fxo[0].type).toBe('analog');
    expect(fxo[0].port).toHaveLength(8);
  });

  test('the trunkpilot command line runs it: sim exec -- dahdi_scan', () => {
    const bin = join(__dirname, '..', 'bin', 'trunkpilot');
    const res = spawnSync(process.execPath, [bin, 'sim', 'exec', '--spans', '1', '--fault', '1=LOF', '--', dahdiScan!], {
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(parseScan(res.stdout)[0].alarms).toBe('RED/LFA');
  });

  test('audio moves in real time for a program run under sim exec (a blocking DAHDI reader gets 20 ms blocks)', () => {
    const bin = join(__dirname, '..', 'bin', 'trunkpilot');
    // A blocking reader, as most DAHDI programs are: read() waits for each 160-byte block.
    const reader = [
      "const koffi = require('koffi'); const g = koffi.load(null);",
      "const open = g.func('int open(const char *p, int f)'); const read = g.func('long read(int fd, _Out_ uint8_t *b, size_t n)');",
      "const ioctl = g.func('int ioctl(int fd, unsigned long r, _Inout_ int *a)');",
      "const fd = open('/dev/dahdi/channel', 2); if (ioctl(fd, 0x4004da26, [1]) !== 0) process.exit(3);",
      'ioctl(fd, 0x4004da01, [160]); const buf = Buffer.alloc(160); const t0 = Date.now(); let blocks = 0;',
      'while (Date.now() - t0 < 300) if (read(fd, buf, 160) === 160) blocks++;',
      'console.log(JSON.stringify({ blocks, ms: Date.now() - t0 }));',
    ].join(' ');
    const res = spawnSync(process.execPath, [bin, 'sim', 'exec', '--', process.execPath, '-e', reader], {
      encoding: 'utf8',
      cwd: join(__dirname, '..'),
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const { blocks, ms } = JSON.parse(res.stdout);
    // One block per 20 ms of wall time, give or take scheduling: neither a flood nor a stall.
    expect(blocks).toBeGreaterThanOrEqual(Math.floor(ms / 20) - 3);
    expect(blocks).toBeLessThanOrEqual(Math.ceil(ms / 20) + 3);
  });

  test('a bad fault name or span is a usage error, refused before anything runs', async () => {
    const span = await exec(['--spans', '1', '--fault', '2=LOS', '--', 'true']);
    expect(span.code).toBe(2);
    expect(span.err).toMatch(/^trunkpilot: usage: sim exec: --fault: '2=LOS' is not SPAN=NAME with a span from 1 to 1/);
    const name = await exec(['--fault', '1=SLIPS', '--', 'false']);
    expect(name.code).toBe(2);
    expect(name.err).toMatch(/^trunkpilot: usage: .*'SLIPS' is not a line condition/);
  });

  describe('dahdi_cfg applies a system.conf', () => {
    // dahdi_cfg holds a named semaphore in /dev/shm and leaves it behind when it fails;
    // each run gets a private /dev/shm in its own mount namespace.
    const probe = spawnSync('unshare', ['-m', 'true'], { encoding: 'utf8' });
    const unshareProblem = probe.error ? String(probe.error) : probe.status !== 0 ? probe.stderr.trim() : '';
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tp-dahdi-cfg-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function dahdiCfgRun(conf: string, signalling: 'pri' | 'r2-cn', spans: number) {
      const file = join(dir, `system-${Math.random().toString(36).slice(2)}.conf`);
      writeFileSync(file, conf);
      const env = { ...process.env, ...simExecEnvironment({ spans, signalling, faults: [] }), LD_PRELOAD: fakeDahdiLibraryPath() };
      const script = 'mount --make-rprivate / && mount -t tmpfs tmpfs /dev/shm && exec "$0" -v -c "$1"';
      return spawnSync('unshare', ['-m', 'sh', '-c', script, dahdiCfg!, file], { encoding: 'utf8', env, timeout: 20_000 });
    }

    if (unshareProblem) {
      it.skip(`NOT RUN: unshare -m is not permitted here (${unshareProblem})`, () => undefined);
      return;
    }

    it('configures a PRI span and a China No.1 span', () => {
      const pri = dahdiCfgRun('span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nhardhdlc=16\nloadzone=cn\ndefaultzone=cn\n', 'pri', 1);
      expect(pri.stderr).not.toMatch(/error|unable|fail/i);
      expect(pri.status).toBe(0);
      expect(pri.stdout).toMatch(/SPAN 1: CCS\/HDB3/);
      expect(pri.stdout).toMatch(/31 channels to configure/);
      const r2 = dahdiCfgRun('span=1,1,0,cas,hdb3\ncas=1-15,17-31:1111\nloadzone=cn\ndefaultzone=cn\n', 'r2-cn', 1);
      expect(r2.status).toBe(0);
      expect(r2.stdout).toMatch(/30 channels to configure/);
    });

    it('configures an SS7 signalling link on TS16', () => {
      const ss7 = dahdiCfgRun('span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\nmtp2=16\n', 'pri', 1);
      expect(ss7.status).toBe(0);
    });

    it('refuses a configuration the simulated hardware cannot take', () => {
      const res = dahdiCfgRun('span=1,1,0,ccs,hdb3,crc4\nfxoks=1-15\n', 'pri', 1);
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(/DAHDI_CHANCONFIG failed on channel 1: Invalid argument/);
      const noSpan = dahdiCfgRun('span=2,1,0,ccs,hdb3,crc4\nbchan=32-46\n', 'pri', 1);
      expect(noSpan.status).not.toBe(0);
      expect(noSpan.stderr).toMatch(/SPANCONFIG failed on span 2/);
    });
  });
});
