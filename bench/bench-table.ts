/** One section of `npm run bench`: a titled table plus the raw figures for the JSON file. */
export interface BenchSection {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Machine-readable figures (written to the JSON file as they are). */
  figures: Record<string, unknown>;
  notes?: string[];
}

export function renderTable(section: BenchSection): string {
  const cells = [section.columns, ...section.rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = section.columns.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) => '| ' + r.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  const out = [`## ${section.title}`, line(cells[0]), sep, ...cells.slice(1).map(line)];
  for (const n of section.notes ?? []) out.push(`  ${n}`);
  return out.join('\n') + '\n';
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

/** What `npm run bench` hands each benchmark: where to say what it is doing, and its options. */
export interface BenchContext {
  /** Announce the next step (shown on stderr while it runs, e.g. "controller, 2 spans"). */
  step(text: string): void;
  /** Seeds for the pacing benchmark (--seeds; PACING_SEEDS, default 5). */
  seeds: number;
}
