import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LapdPcapWriter } from './pcap-writer';

/** A hand-made Q.931 SETUP in a LAPD I-frame, as libpri would send it (with 2 FCS bytes). */
const SETUP_FRAME = Uint8Array.from([
  0x00,
  0x01, // SAPI 0, C/R 0 (user side command), TEI 0
  0x00,
  0x00, // I-frame N(S)=0 N(R)=0
  0x08,
  0x02,
  0x00,
  0x01,
  0x05, // Q.931, call ref length 2, ref 1, SETUP
  0x04,
  0x03,
  0x80,
  0x90,
  0xa3, // bearer capability: speech, 64k, A-law
  0x18,
  0x03,
  0xa9,
  0x83,
  0x9f, // channel id: exclusive, channel 31
  0x70,
  0x04,
  0x80,
  0x31,
  0x32,
  0x33, // called party number '123'
  0xaa,
  0xbb, // FCS placeholder, stripped by the writer
]);

describe('LapdPcapWriter', () => {
  it('writes a pcap that tshark decodes as Q.931 with direction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-pcap-'));
    const file = join(dir, 'd.pcap');
    const w = new LapdPcapWriter(file, false);
    w.write('tx', SETUP_FRAME, 1_700_000_000_000);
    w.close();
    const bytes = readFileSync(file);
    expect(bytes.readUInt32LE(20)).toBe(177); // LINUX_LAPD
    const out = execFileSync(
      'tshark',
      ['-r', file, '-T', 'fields', '-e', 'q931.message_type', '-e', 'q931.called_party_number.digits', '-e', 'lapd.direction'],
      { encoding: 'utf8' },
    );
    const [type, digits] = out.trim().split('\t');
    expect(Number(type)).toBe(5);
    expect(digits).toBe('123');
  });

  it('a path it cannot write is a typed error naming it, not a stack trace', () => {
    expect(() => new LapdPcapWriter('/nonexistent/dir/d.pcap', false)).toThrow(
      '/nonexistent/dir/d.pcap: cannot write the capture file: ENOENT',
    );
  });
});
