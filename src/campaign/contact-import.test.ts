import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Blacklist } from './blacklist';
import { importContacts, ImportedRow } from './contact-import';

async function importText(text: string, opts = {}) {
  const rows: ImportedRow[] = [];
  const report = await importContacts(Readable.from([text]), (r) => rows.push(r), opts);
  return { rows, report };
}

describe('importContacts', () => {
  test('a CSV with a header: good rows kept in order, bad rows reported by line and reason', async () => {
    const { rows, report } = await importText([
      '姓名,电话,备注',
      '张三,13812345678,vip',
      '李四,0755-1234,bad landline',
      '"王, 五",+86 139 0000 0001,"says ""call after 6"""',
      '',
      'x,1,2,3,4,5,6,7,8,9,10',
      '赵六,"13800000002',
      '钱七,400-123-4567,',
    ].join('\n'), { numberColumn: '电话' });
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
    const report = await importContacts(Readable.from(lines()), (r) => { count++; last = r.number; }, { dropDuplicates: false });
    expect(report.accepted).toBe(n);
    expect(count).toBe(n);
    expect(last).toBe(String(13000000000 + n - 1));
  });

  test('a missing file is a typed error naming it', async () => {
    await expect(importContacts('/nonexistent/list.csv', () => undefined)).rejects.toThrow(/\/nonexistent\/list.csv: cannot be read/);
  });
});
