import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCT_COMMANDS, runCommand } from '../main';
import { CliIO } from '../cli-io';

const main = (argv: string[], io: CliIO) => runCommand(PRODUCT_COMMANDS, argv, io);
const FIXTURES = join(__dirname, '..', '..', '..', 'hil-tests', 'fixtures', 'sysfs');

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('trunkpilot status', () => {
  it('prints each span with type, framing, alarms and counters, and its channels', async () => {
    const io = capture();
    expect(await runCommand(PRODUCT_COMMANDS, ['status', '--sys-root', join(FIXTURES, 'openvox-d430p')], io)).toBe(0);
    const lines = io.out.split('\n');
    expect(lines).toContain('Span 1: TE4/0/1 "T4XXP (PCI) Card 0 Span 1" E1 CCS/HDB3/CRC4 OK (master, clock source)');
    expect(lines).toContain('Span 3: TE4/0/3 "T4XXP (PCI) Card 0 Span 3" E1 CAS/HDB3 OK');
    expect(lines).toContain('Span 4: TE4/0/4 "T4XXP (PCI) Card 0 Span 4" E1 not configured RED');
    expect(lines).toContain('  counters: BPV 12, CRC-4 3, E-bit 1, FAS 0, slips 2');
    expect(lines).toContain('     16  16  TE4/0/1/16       Hardware-assisted HDLC in use');
    expect(lines).toContain('      1   1  TE4/0/1/1        Clear                  in use  EC VPMOCT128 (inactive)');
    expect(io.err).toBe('');
  });

  it('--json gives the typed discovery result', async () => {
    const io = capture();
    expect(await runCommand(PRODUCT_COMMANDS, ['status', '--json', '--sys-root', join(FIXTURES, 'digium-te435-tdm410p')], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.spans.map((s: { spanno: number; type: string }) => [s.spanno, s.type])).toEqual([
      [1, 'E1'],
      [2, 'E1'],
      [3, 'E1'],
      [4, 'E1'],
      [5, 'FXO'],
    ]);
    expect(doc.spans[4].channels[3]).toMatchObject({ channo: 128, signalling: 'FXSKS', alarms: ['RED'] });
  });

  it('an unknown option is a usage error with exit code 2', async () => {
    const io = capture();
    expect(await main(['status', '--bogus'], io)).toBe(2);
    expect(io.err).toMatch(/^trunkpilot: usage: status: --bogus: unknown option\nusage: trunkpilot status \[options\]/);
    expect(io.out).toBe('');
  });

  it('exits 1 when DAHDI is absent, saying so', async () => {
    const io = capture();
    const empty = mkdtempSync(join(tmpdir(), 'tp-nodahdi-'));
    expect(await main(['status', '--sys-root', empty], io)).toBe(1);
    expect(io.out).toBe('no DAHDI spans found\n');
    expect(io.err).toContain(`warning: ${join(empty, 'proc', 'dahdi')} is missing: the dahdi module is not loaded`);
    expect(io.err).toContain(`trunkpilot status: no DAHDI span under ${empty}`);
    const json = capture();
    expect(await main(['status', '--json', '--sys-root', empty], json)).toBe(1);
    expect(JSON.parse(json.out).spans).toEqual([]);
  });
});
