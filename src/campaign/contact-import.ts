import { Readable } from 'node:stream';
import { InputError } from '../core/errors';
import { Blacklist } from './blacklist';
import { normaliseChinaNumber, NormaliseOptions } from './china-number';
import { readFileChunks, TextEncoding, TextLineReader } from './text-lines';

/**
 * Streams a contact list (CSV or TXT, up to 10 columns, any size) into a sink one
 * row at a time. A bad row is reported with its line number and the reason, and
 * the import goes on: every good row is kept. The number is in the first column
 * unless told otherwise; a first line whose number cell is not a number but has
 * letters is taken as a header.
 *
 * Memory stays flat whatever the file: lines over `maxLineBytes` and cells over
 * `maxCellChars` are refused without being collected or quoted, rows go to the sink
 * as they are read (awaited when the sink returns a promise), and duplicates are
 * found with a compact set of numbers. The encoding is read from the BOM, declared,
 * or sniffed (UTF-8, UTF-16 with BOM, GB18030/GBK; see text-lines.ts).
 *
 * API for the rest of trunkpilot (the gateway runtime reads campaign files' lists):
 *   importContacts(fileOrStream, onRow, opts)               -> ImportReport
 *   importContactsIntoStore(fileOrStream, store, campaign, opts) -> ImportReport
 * Both throw InputError only for what stops the whole file (unreadable, undecidable
 * encoding, a named number column that is missing); everything else is a RowProblem.
 */
export const MAX_COLUMNS = 10;
export const DEFAULT_MAX_CELL_CHARS = 1024;

export interface RowProblem {
  line: number;
  reason: string;
  /** The row as read (cut to 200 characters; empty for a line too long to read). */
  text: string;
}

export interface ImportReport {
  lines: number;
  accepted: number;
  blacklisted: number;
  duplicates: number;
  rejected: number;
  /** The first problems (up to `maxProblems`); `rejected` counts them all. */
  problems: RowProblem[];
  header?: string[];
  /** The encoding the file was read in. */
  encoding?: TextEncoding;
}

export interface ImportedRow {
  number: string;
  fields: string[];
  line: number;
}

export interface ImportOptions {
  /** 'csv' (comma-separated, quotes allowed) or 'txt' (tab, comma, semicolon or spaces). Default by file extension, else csv. */
  format?: 'csv' | 'txt';
  /** Column index (0-based) or header name holding the number (default 0). */
  numberColumn?: number | string;
  blacklist?: Blacklist;
  normalise?: NormaliseOptions;
  /** Skip a number already seen in this file (default true). */
  dropDuplicates?: boolean;
  maxProblems?: number;
  /** The file's encoding; default 'auto' (BOM, else UTF-8 or GB18030 by content). */
  encoding?: TextEncoding | 'auto';
  /** Longest line, in bytes (default 16 KiB). */
  maxLineBytes?: number;
  /** Longest cell, in characters (default 1024). */
  maxCellChars?: number;
}

/** A number cell longer than this cannot be a number and is not quoted back. */
const MAX_NUMBER_CHARS = 40;

/** Splits one CSV line (RFC 4180 quoting, one physical line per record). */
export function splitCsvLine(line: string): string[] | { error: string } {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    // Leading spaces before a quote still open a quoted cell (cells are trimmed anyway).
    let j = i;
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] === '"') {
      let cell = '';
      let k = j + 1;
      for (;;) {
        const q = line.indexOf('"', k);
        if (q < 0) return { error: 'a quoted cell is not closed' };
        cell += line.slice(k, q);
        if (line[q + 1] === '"') {
          cell += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      // Anything after the closing quote up to the comma belongs to the cell, as before.
      const comma = line.indexOf(',', k);
      cell += comma < 0 ? line.slice(k) : line.slice(k, comma);
      cells.push(cell.trim());
      if (comma < 0) return cells;
      i = comma + 1;
      continue;
    }
    const comma = line.indexOf(',', i);
    cells.push((comma < 0 ? line.slice(i) : line.slice(i, comma)).trim());
    if (comma < 0) return cells;
    i = comma + 1;
  }
}

/** TXT: tab, comma or semicolon separated; otherwise one number per line (spaces inside it allowed) or space-separated columns. */
function splitTxtLine(line: string): string[] {
  const sep = line.includes('\t') ? /\t/ : line.includes(',') ? /,/ : line.includes(';') ? /;/ : undefined;
  if (sep)
    return line
      .trim()
      .split(sep)
      .map((c) => c.trim());
  return normaliseChinaNumber(line).ok ? [line.trim()] : line.trim().split(/\s+/);
}

/** Reads a list from a file path or a stream, calling `onRow` for each good row in file order. */
export async function importContacts(
  source: string | Readable,
  onRow: (row: ImportedRow) => unknown,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const name = typeof source === 'string' ? source : 'contact list';
  const format = opts.format ?? (typeof source === 'string' && /\.txt$/i.test(source) ? 'txt' : 'csv');
  const stream = typeof source === 'string' ? readFileChunks(source) : source;
  const report: ImportReport = { lines: 0, accepted: 0, blacklisted: 0, duplicates: 0, rejected: 0, problems: [] };
  const maxProblems = opts.maxProblems ?? 1000;
  const maxCell = opts.maxCellChars ?? DEFAULT_MAX_CELL_CHARS;
  const seen = opts.dropDuplicates === false ? undefined : new NumberSet();
  let numberColumn = typeof opts.numberColumn === 'number' ? opts.numberColumn : 0;
  const reject = (line: number, reason: string, text: string) => {
    report.rejected++;
    if (report.problems.length < maxProblems) report.problems.push({ line, reason, text: text.slice(0, 200) });
  };
  const reader = new TextLineReader(stream, { name, encoding: opts.encoding, maxLineBytes: opts.maxLineBytes });
  try {
    for await (const read of reader.lines()) {
      const lineNo = (report.lines = read.line);
      report.encoding ??= reader.encoding;
      if ('problem' in read) {
        reject(lineNo, read.problem, '');
        continue;
      }
      const text = read.text;
      if (!text.trim()) continue;
      const cells = format === 'csv' ? splitCsvLine(text) : splitTxtLine(text);
      if (!Array.isArray(cells)) {
        reject(lineNo, cells.error, text);
        continue;
      }
      if (cells.length > MAX_COLUMNS) {
        reject(lineNo, `has ${cells.length} columns; at most ${MAX_COLUMNS}`, text);
        continue;
      }
      const long = cells.findIndex((c) => c.length > maxCell);
      if (long >= 0) {
        reject(lineNo, `column ${long + 1} is ${cells[long].length} characters long; at most ${maxCell}`, text);
        continue;
      }
      if (report.accepted === 0 && report.rejected === 0 && !report.header && looksLikeHeader(cells, numberColumn)) {
        report.header = cells;
        if (typeof opts.numberColumn === 'string') {
          const i = cells.findIndex((c) => c.toLowerCase() === (opts.numberColumn as string).toLowerCase());
          if (i < 0) throw new InputError(`${name}:${lineNo}`, `no column named '${opts.numberColumn}' (columns: ${cells.join(', ')})`);
          numberColumn = i;
        }
        continue;
      }
      const cell = cells[numberColumn];
      if (cell === undefined || cell === '') {
        reject(lineNo, `no number in column ${numberColumn + 1}`, text);
        continue;
      }
      if (cell.length > MAX_NUMBER_CHARS) {
        reject(lineNo, `column ${numberColumn + 1} is ${cell.length} characters long; a number has at most ${MAX_NUMBER_CHARS}`, text);
        continue;
      }
      const n = normaliseChinaNumber(cell, opts.normalise);
      if (!n.ok) {
        reject(lineNo, n.reason, text);
        continue;
      }
      if (opts.blacklist?.has(n.number)) {
        report.blacklisted++;
        continue;
      }
      if (seen && !seen.add(n.number)) {
        report.duplicates++;
        continue;
      }
      report.accepted++;
      const pending = onRow({ number: n.number, fields: cells.filter((_, i) => i !== numberColumn), line: lineNo });
      // Only a sink that returns a promise is waited for (a million awaits are not free).
      if (pending instanceof Promise) await pending;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(name, `cannot be read after line ${report.lines}: ${(err as Error).message}`);
  }
  // A file is closed by its reader, read to the end or left early (TextLineReader.lines returns the source).
  return report;
}

/** What importContactsIntoStore needs of a store (CampaignStore has it). */
export interface ContactRowStore {
  /** Adds rows, skipping numbers the campaign already has; says how many were new. */
  addNewContacts(
    campaign: string,
    rows: { number: string; fields?: string[]; line?: number }[],
    notBefore?: number,
    sync?: 'now' | 'later',
  ): { added: number; duplicates: number };
  /** Resolves once everything committed is on disk. */
  durable?(): Promise<void>;
}

/**
 * Imports straight into a store in batches (one transaction each). Duplicates are
 * always skipped, found by the store (numbers already in the campaign, so importing
 * a file twice adds nothing; `dropDuplicates` does not apply), so a list of any length costs one batch of memory: 1e6 rows and
 * the peak RSS are measured by `npm run bench -- contacts`.
 */
export async function importContactsIntoStore(
  source: string | Readable,
  store: ContactRowStore,
  campaign: string,
  opts: ImportOptions & { batchRows?: number } = {},
): Promise<ImportReport> {
  // Small batches committed without a sync each, one sync at the end: rows are written
  // while they are still young, so the garbage collector never has to keep (and grow for) them.
  const batchRows = opts.batchRows ?? 200;
  let batch: ImportedRow[] = [];
  let duplicates = 0;
  const flush = () => {
    if (!batch.length) return;
    duplicates += store.addNewContacts(campaign, batch, 0, 'later').duplicates;
    batch = [];
  };
  const report = await importContacts(
    source,
    (row) => {
      batch.push(row);
      if (batch.length >= batchRows) flush();
    },
    { ...opts, dropDuplicates: false },
  );
  flush();
  await store.durable?.();
  report.duplicates = duplicates;
  report.accepted -= duplicates;
  return report;
}

/**
 * Numbers already seen, compactly: a dialable number (digits only, at most 15) is
 * kept as a double ('1' prepended so leading zeros count) in an open-addressing
 * table on a Float64Array: 16-32 bytes a number, where a Set of strings costs ~100
 * and a Set of large numbers ~50 (each a heap object).
 */
class NumberSet {
  private table = new Float64Array(1 << 16);
  private count = 0;
  private readonly other = new Set<string>();

  /** False when it was there already. */
  add(n: string): boolean {
    if (n.length > 15 || !/^\d+$/.test(n)) {
      if (this.other.has(n)) return false;
      this.other.add(n);
      return true;
    }
    if (this.count * 2 >= this.table.length) this.grow();
    if (!insert(this.table, Number('1' + n))) return false;
    this.count++;
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    for (const key of old) if (key !== 0) insert(this.table, key);
  }
}

/** Linear probing; 0 marks an empty slot (no key is 0). */
function insert(table: Float64Array, key: number): boolean {
  const mask = table.length - 1;
  const lo = key % 0x100000000;
  const hi = (key - lo) / 0x100000000;
  let i = (Math.imul(lo | 0, 0x9e3779b1) ^ Math.imul(hi | 0, 0x85ebca6b)) & mask;
  for (;;) {
    const at = table[i];
    if (at === 0) {
      table[i] = key;
      return true;
    }
    if (at === key) return false;
    i = (i + 1) & mask;
  }
}

function looksLikeHeader(cells: string[], numberColumn: number): boolean {
  const cell = cells[numberColumn] ?? '';
  return /[A-Za-z\u4e00-\u9fff]/.test(cell) && !normaliseChinaNumber(cell).ok;
}
