/**
 * `npm run bench -- contacts`: a contact list of CONTACT_ROWS rows (default 1e6) in
 * UTF-8 and in GBK-style GB18030, imported into a CampaignStore (SQLite) in a child
 * process; its peak RSS (getrusage maxrss) must stay under 100 MB whatever the size.
 * The UTF-8 list is imported once more with a small V8 young generation, to show
 * how much of the peak is the garbage collector's sizing rather than the import.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchSection } from './bench-table';

const ROWS = Number(process.env.CONTACT_ROWS ?? 1_000_000);
// "张三" in GBK: the name column of the GB18030 file.
const GBK_NAME = Buffer.from('d5c5c8fd', 'hex');

async function writeList(path: string, gbk: boolean): Promise<void> {
  const out = createWriteStream(path);
  const header = gbk
    ? Buffer.concat([Buffer.from('number,'), Buffer.from('d0d5c3fb', 'hex'), Buffer.from(',note\n')])
    : Buffer.from('number,姓名,note\n');
  out.write(header);
  for (let i = 0; i < ROWS; i++) {
    const row = `${13000000000 + i},`;
    const ok = gbk
      ? out.write(Buffer.concat([Buffer.from(row), GBK_NAME, Buffer.from(`,n${i % 97}\n`)]))
      : out.write(`${row}张三,n${i % 97}\n`);
    if (!ok) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

export async function run(): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-contacts-bench-'));
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = { rows: ROWS };
  try {
    const runs = [
      ['utf-8', false, []],
      ['gb18030', true, []],
      ['utf-8', false, ['--max-semi-space-size=2']],
    ] as const;
    for (const [encoding, gbk, flags] of runs) {
      const list = join(dir, `${encoding}.csv`);
      const label = [encoding, ...flags].join(' ');
      if (!existsSync(list)) await writeList(list, gbk);
      const db = join(dir, `${rows.length}.sqlite`);
      const child = spawnSync(process.execPath, [...flags, join(__dirname, 'contacts-import-child.js'), list, db], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout);
      const fileMb = statSync(list).size / 2 ** 20;
      rows.push([label, ROWS, fileMb, r.accepted, r.encoding, r.ms / 1000, Math.round(ROWS / (r.ms / 1000)), r.rssStartMb, r.maxRssMb]);
      figures[label] = { fileMb, ...r };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      title: `Contact import into the campaign store (${ROWS} rows, one child process each)`,
      columns: ['file', 'rows', 'file MB', 'accepted', 'encoding read', 's', 'rows/s', 'RSS at start MB', 'peak RSS MB'],
      rows,
      figures,
      notes: [
        'peak RSS is getrusage maxrss of the importing process (Node itself is ~45 MB); goal: under 100 MB at any size',
        "the importer's live heap stays ~8-16 MB; the rest is V8 sizing its young generation (see the --max-semi-space-size row)",
      ],
    },
  ];
}
