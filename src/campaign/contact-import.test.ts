import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Blacklist } from './blacklist';
import { CampaignStore } from './campaign-store';
import { importContacts, importContactsIntoStore, ImportedRow } from './contact-import';

async function importText(text: string, opts = {}) {
  const rows: ImportedRow[] = [];
  const report = await importContacts(Readable.from([text]), (r) => rows.push(r), opts);
  return { rows, report };
}

describe('importContacts', () => {
  test('a CSV with a header: good rows kept in order, bad rows reported by line and reason', async () => {
    const { rows, report } = await importText(
      [
        '姓名,电话,备注',
        '张三,13812345678,vip',
        '李四,0755-1234,bad landline',
        '"王, 五",+86 139 0000 0001,"says ""call after 6"""',
        '',
        'x,1,2,3,4,5,6,7,8,9,10',
        '赵六,"13800000002',
        '钱七,400-123-4567,',
      ].join('\n'),
      { numberColumn: '电话' },
    );
    expect(report.header).toEqual(['姓名', '电话', '备注']);
    expect(rows).toEqual([
      { number: '13812345678', fields: ['张三', 'vip'], line: 2 },
      { number: '13900000001', fields: ['王, 五', 'says "call after 6"'], line: 4 },
      { number: '4001234567', fields: ['钱七', ''], line: 8 },
    ]);
    expect(report).toMatchObject({ lines: 8, accepted: 3, rejected: 3 });
    expect(report.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, expect.stringMatching(/valid area code/)],
      [6, 'has 11 columns; at most 10'],
      [7, 'a quoted cell is not closed'],
    ]);
  });

  test('a TXT file read from disk, one number per line, with blacklist and duplicates skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-import-'));
    const file = join(dir, 'list.txt');
    writeFileSync(file, '13812345678\r\n13812345679\r\n138 1234 5678\r\n075512345678\tshop\r\n');
    const rows: ImportedRow[] = [];
    const report = await importContacts(file, (r) => rows.push(r), { blacklist: new Blacklist(['138-1234-5679']) });
    expect(rows.map((r) => r.number)).toEqual(['13812345678', '075512345678']);
    expect(rows[1].fields).toEqual(['shop']);
    expect(report).toMatchObject({ accepted: 2, blacklisted: 1, duplicates: 1, rejected: 0 });
  });

  test('a large list streams through without being held in memory by the importer', async () => {
    const n = 200_000;
    async function* lines() {
      for (let i = 0; i < n; i++) yield `${13000000000 + i},c${i}\n`;
    }
    let count = 0;
    let last = '';
    const report = await importContacts(
      Readable.from(lines()),
      (r) => {
        count++;
        last = r.number;
      },
      { dropDuplicates: false },
    );
    expect(report.accepted).toBe(n);
    expect(count).toBe(n);
    expect(last).toBe(String(13000000000 + n - 1));
  });

  describe('encodings', () => {
    const TEXT = '姓名,电话\n张三,13812345678\n李四,13900000001\n';
    // The same three lines in GBK (iconv -f utf-8 -t gbk).
    const GBK = Buffer.from('d0d5c3fb2cb5e7bbb00ad5c5c8fd2c31333831323334353637380ac0eecbc42c31333930303030303030310a', 'hex');
    const utf16be = (t: string) => Buffer.from(t, 'utf16le').swap16();
    const cases: [string, Buffer, string][] = [
      ['UTF-8', Buffer.from(TEXT), 'utf-8'],
      ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), 'utf-8'],
      ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), 'utf-16le'],
      ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)]), 'utf-16be'],
      ['GBK without a BOM', GBK, 'gb18030'],
    ];
    test.each(cases)('%s is detected and read correctly, even split at odd bytes', async (_what, bytes, encoding) => {
      // 3-byte chunks split multi-byte characters and UTF-16 code units.
      const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
      const rows: ImportedRow[] = [];
      const report = await importContacts(Readable.from(chunks), (r) => rows.push(r), { numberColumn: '电话' });
      expect(report.encoding).toBe(encoding);
      expect(report.header).toEqual(['姓名', '电话']);
      expect(rows).toEqual([
        { number: '13812345678', fields: ['张三'], line: 2 },
        { number: '13900000001', fields: ['李四'], line: 3 },
      ]);
    });

    test('a declared encoding is used; GB18030 four-byte characters read too', async () => {
      const bytes = Buffer.concat([Buffer.from('13812345678,'), Buffer.from('95328236', 'hex'), Buffer.from('\n')]); // U+20000
      const rows: ImportedRow[] = [];
      await importContacts(Readable.from([bytes]), (r) => rows.push(r), { encoding: 'gb18030' });
      expect(rows[0].fields).toEqual(['\u{20000}']);
    });

    test('refuses what it cannot read, with the reason, instead of corrupting rows', async () => {
      const none = Buffer.from('ff00fe00ff', 'hex');
      await expect(importContacts(Readable.from([none]), () => undefined)).rejects.toThrow(
        'contact list: has NUL bytes: UTF-16 without a byte-order mark, or not a text file; save it with a BOM or declare the encoding (utf-16le, utf-16be)',
      );
      await expect(importContacts(Readable.from([Buffer.from([0x31, 0xff, 0xff, 0x0a])]), () => undefined)).rejects.toThrow(
        'is neither UTF-8 nor GB18030/GBK text',
      );
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('13812345678\n', 'utf16le')]);
      await expect(importContacts(Readable.from([le]), () => undefined, { encoding: 'gb18030' })).rejects.toThrow(
        'starts with a UTF-16LE byte-order mark but was declared gb18030',
      );
      // Sniffed as UTF-8 from its first 64 KiB, a GBK line further on is rejected on its own.
      const rows: ImportedRow[] = [];
      const ascii = Array.from({ length: 6000 }, (_, i) => `${13800000000 + i},ok\n`).join('');
      const mixed = Buffer.concat([
        Buffer.from(ascii),
        Buffer.from('d5c5c8fd2c31333930303030303030310a', 'hex'),
        Buffer.from('13900000002,ok\n'),
      ]);
      const pieces = Array.from({ length: Math.ceil(mixed.length / 16384) }, (_, i) => mixed.subarray(i * 16384, (i + 1) * 16384));
      const report = await importContacts(Readable.from(pieces), (r) => rows.push(r));
      expect(rows.length).toBe(6001);
      expect(rows[6000].number).toBe('13900000002');
      expect(report.encoding).toBe('utf-8');
      expect(report.problems).toEqual([
        { line: 6001, reason: expect.stringContaining("is not valid UTF-8 text (declare the file's encoding"), text: '' },
      ]);
    });
  });

  describe('bounds', () => {
    test('a 20 MB line is skipped without being collected; the rows after it are kept', async () => {
      const block = Buffer.alloc(64 * 1024, 'x'.charCodeAt(0));
      async function* chunks() {
        yield Buffer.from('13800000001\n');
        for (let i = 0; i < 320; i++) yield block; // 20 MiB, no newline
        yield Buffer.from('\n13800000002\n');
      }
      const heap0 = process.memoryUsage().heapUsed;
      let heapPeak = heap0;
      const rows: ImportedRow[] = [];
      const report = await importContacts(Readable.from(chunks()), (r) => {
        rows.push(r);
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      });
      expect(rows.map((r) => r.number)).toEqual(['13800000001', '13800000002']);
      expect(report.problems).toEqual([{ line: 2, reason: 'is longer than 16384 bytes; skipped', text: '' }]);
      expect(heapPeak - heap0).toBeLessThan(8 * 1024 * 1024);
    });

    test('a cell over the cap is refused by length, never quoted back', async () => {
      const huge = 'y'.repeat(5000);
      const { rows, report } = await importText(`13800000001,${huge}\n${'9'.repeat(60)},a\n13800000002,ok\n`);
      expect(rows.map((r) => r.number)).toEqual(['13800000002']);
      expect(report.problems.map((p) => [p.line, p.reason])).toEqual([
        [1, 'column 2 is 5000 characters long; at most 1024'],
        [2, 'column 1 is 60 characters long; a number has at most 40'],
      ]);
      for (const p of report.problems) expect(p.text.length).toBeLessThanOrEqual(200);
    });
  });

  test('into the campaign store: batches, duplicates found on disk (a second import adds nothing)', async () => {
    const store = new CampaignStore(join(mkdtempSync(join(tmpdir(), 'tp-import-store-')), 'c.db'));
    try {
      const text = Array.from({ length: 25 }, (_, i) => `${13800000000 + (i % 20)},r${i}`).join('\n') + '\nnot-a-number,x\n';
      const first = await importContactsIntoStore(Readable.from([text]), store, 'spring', { batchRows: 7 });
      expect(first).toMatchObject({ accepted: 20, duplicates: 5, rejected: 1 });
      const again = await importContactsIntoStore(Readable.from([text]), store, 'spring', { batchRows: 7 });
      expect(again).toMatchObject({ accepted: 0, duplicates: 25 });
      const open = store.openContacts('spring');
      expect(open.map((c) => c.number)).toEqual(Array.from({ length: 20 }, (_, i) => String(13800000000 + i)));
      expect(open[3]).toMatchObject({ fields: ['r3'], line: 4 });
    } finally {
      store.close();
    }
  });

  test('a missing file is a typed error naming it', async () => {
    await expect(importContacts('/nonexistent/list.csv', () => undefined)).rejects.toThrow(/\/nonexistent\/list.csv: cannot be read/);
  });
});
