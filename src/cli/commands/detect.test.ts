import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCT_COMMANDS, runCommand } from '../main';
import { CliIO } from '../cli-io';
import { saveDahdiSnapshot } from '../../discovery';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'hil-tests', 'fixtures', 'sysfs');

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await runCommand(PRODUCT_COMMANDS, argv, io as CliIO);
  return { code, out: io.out, err: io.err };
}

describe('trunkpilot detect', () => {
  it('names each board by profile, with what DAHDI itself calls it and its spans', async () => {
    const r = await cli('detect', '--sys-root', join(FIXTURES, 'openvox-d430p'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'pci:0000:03:00.0  1b74:d430 (subsystem 1b74:d430)  OpenVox D430P (profile openvox-d430p)',
      '  DAHDI says: Digium "Wildcard TE410P/TE405P (1st Gen) (VPMOCT128)" at PCI Bus 03 Slot 01',
      '  span 1 (local 1): E1 CCS channels 1-31 OK',
      '  span 2 (local 2): E1 CCS channels 32-62 OK',
      '  span 3 (local 3): E1 CAS channels 63-93 OK',
      '  span 4 (local 4): E1 - channels 94-124 RED',
      '',
    ]);
  });

  it('lists USB telephony devices: modems with profile and AT port, Astribanks with firmware state', async () => {
    const r = await cli('detect', '--sys-root', join(FIXTURES, 'usb-gateways'));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('usb 1-1  2c7c:0125  Quectel EC25 (profile quectel-ec25)  serial EC25AFFD0123');
    expect(lines).toContain('  GSM/LTE module, AT dialect simcom-sim7600; AT port /dev/ttyUSB6, voice PCM port /dev/ttyUSB8');
    expect(lines.some((l) => /^usb 1-4 {2}e4e4:1150 {2}no matching profile/.test(l))).toBe(true);
    expect(lines).toContain(
      '  Astribank multi, firmware none: no firmware loaded: udev xpp_fxloader should load it (is dahdi-firmware installed?)',
    );
    expect(r.out).not.toMatch(/046d|Logitech/);
    const doc = JSON.parse((await cli('detect', '--json', '--sys-root', join(FIXTURES, 'usb-gateways'))).out);
    expect(doc.filter((d: { usb?: string }) => d.usb).map((d: { id: string; profile: string | null }) => [d.id, d.profile])).toEqual([
      ['2c7c:0125', 'quectel-ec25'],
      ['1e0e:9001', 'simcom-sim7600'],
      ['12d1:1001', 'huawei-e1550'],
      ['e4e4:1150', null],
      ['e4e4:1152', null],
    ]);
  });

  it('--query-modems asks each module over its AT port, and says why when it cannot', async () => {
    // The fixture's ttys do not exist on this machine: each query fails with the port named.
    const r = await cli('detect', '--sys-root', join(FIXTURES, 'usb-gateways'), '--query-modems');
    expect(r.code).toBe(0);
    const failures = r.out.split('\n').filter((l) => l.startsWith('  AT query failed: '));
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(/serial \/dev\/ttyUSB2: open-failed/);
  });

  it('--save-snapshot keeps the USB telephony devices: the snapshot lists them exactly as the machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-snap-usb-'));
    try {
      const dest = join(dir, 'snap');
      const r = await cli('detect', '--sys-root', join(FIXTURES, 'usb-gateways'), '--save-snapshot', dest);
      expect(r.err).toMatch(/snapshot of 5 device\(s\)/);
      const fromSnapshot = await cli('detect', '--sys-root', dest);
      expect(fromSnapshot.out).toBe(r.out);
      expect(fromSnapshot.out).toContain('AT port /dev/ttyUSB6, voice PCM port /dev/ttyUSB8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json lists profile, candidates and spans per device', async () => {
    const r = await cli('detect', '--json', '--sys-root', join(FIXTURES, 'digium-te435-tdm410p'));
    const doc = JSON.parse(r.out);
    expect(doc.map((d: { device: string; id: string; profile: string }) => [d.device, d.id, d.profile])).toEqual([
      ['pci:0000:05:00.0', 'd161:800e (subsystem d161:800e)', 'digium-te435'],
      ['pci:0000:06:00.0', 'd161:8005 (subsystem d161:8005)', 'digium-tdm410p'],
    ]);
    expect(doc[1].spans).toEqual([{ spanno: 5, local: 1, type: 'FXO', framing: null, alarms: [], basechan: 125, channels: 4 }]);
  });
  it('--save-snapshot writes a root that status reads exactly as the machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-snap-'));
    try {
      const dest = join(dir, 'snap');
      const r = await cli('detect', '--sys-root', join(FIXTURES, 'astribank-pri'), '--save-snapshot', dest);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/^snapshot of 1 device\(s\), \d+ files, saved in /);
      const fromMachine = await cli('status', '--sys-root', join(FIXTURES, 'astribank-pri'));
      const fromSnapshot = await cli('status', '--sys-root', dest);
      expect(fromSnapshot.out).toBe(fromMachine.out);
      expect((await cli('detect', '--sys-root', dest, '--save-snapshot', dest)).err).toContain(
        'the snapshot directory must be new or empty',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trunkpilot provision --sys-root: the site against the boards present', () => {
  const sysRoot = join(FIXTURES, 'digium-te435-tdm410p');
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tp-site-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a site that names the boards as they are', async () => {
    const site = join(dir, 'ok.yaml');
    writeFileSync(
      site,
      [
        'version: 1',
        'site: te435-lab',
        'boards:',
        '  - { id: e1, profile: digium-te435, device: "pci:0000:05:00.0", spans: [{ local: 1, signalling: pri-cpe, timing: 1 }, { local: 2, signalling: pri-cpe }] }',
        '  - { id: lines, profile: digium-tdm410p, device: "pci:0000:06:00.0", ports: [{ ports: 1-4, signalling: fxo }] }',
        '',
      ].join('\n'),
    );
    expect(await cli('provision', 'check', '--site', site, '--sys-root', sysRoot)).toEqual({
      code: 0,
      out: `${site}: site 'te435-lab' is valid (2 boards)\n`,
      err: '',
    });
  });

  it('refuses ports a modular board does not have fitted', async () => {
    const site = join(dir, 'ports.yaml');
    writeFileSync(
      site,
      'version: 1\nsite: x\nboards:\n  - { id: lines, profile: digium-tdm410p, device: "pci:0000:06:00.0" }\nseats: { board: lines, count: 4 }\n',
    );
    expect((await cli('provision', 'check', '--site', site, '--sys-root', sysRoot)).code).toBe(0);
    // The same machine with only two ports fitted on the analog board.
    const twoPorts = join(dir, 'two-ports');
    saveDahdiSnapshot({ sysRoot, dest: twoPorts });
    writeFileSync(join(twoPorts, 'sys/devices/pci0000:00/0000:00:1c.5/0000:06:00.0/pci:0000:06:00.0/span-5/channels'), '2\n');
    const short = await cli('provision', 'check', '--site', site, '--sys-root', twoPorts);
    expect(short.err).toBe(
      `trunkpilot provision: ${site}:4: boards[0].device: the board at pci:0000:06:00.0 has 2 ports here; the site uses port 4\n`,
    );
    const astribank = join(dir, 'astribank.yaml');
    writeFileSync(
      astribank,
      'version: 1\nsite: x\nboards:\n  - { id: pri, profile: xorcom-astribank-pri, device: "astribanks:xbus-00", spans: [{ local: 2, signalling: pri-cpe }] }\n',
    );
    const r = await cli('provision', 'check', '--site', astribank, '--sys-root', join(FIXTURES, 'astribank-pri'));
    expect(r.err).toBe(
      `trunkpilot provision: ${astribank}:4: boards[0].spans: the board at astribanks:xbus-00 has 1 spans here; the site configures local span 2\n`,
    );
  });

  it('refuses a site whose board is another model, or absent, at the site line', async () => {
    const r2 = join(ROOT, 'board-profiles', 'sites', 'r2-cn.yaml');
    const wrong = await cli('provision', 'check', '--site', r2, '--sys-root', sysRoot);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe(
      `trunkpilot provision: ${r2}:30: boards[1].profile: the board at pci:0000:06:00.0 is digium-tdm410p, not digium-tdm800p\n`,
    );
    const pri = join(ROOT, 'board-profiles', 'sites', 'pri-cpe.yaml');
    const absent = await cli('provision', 'plan', '--site', pri, '--sys-root', join(FIXTURES, 'openvox-d430p'));
    expect(absent.code).toBe(1);
    expect(absent.err).toBe(
      `trunkpilot provision: ${pri}:27: boards[1].device: no DAHDI device 'astribanks:xbus-00' on this machine (present: pci:0000:03:00.0)\n`,
    );
  });
});
