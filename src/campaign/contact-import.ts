import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InputError } from '../core/errors';
import { Blacklist } from './blacklist';
import { normaliseChinaNumber, NormaliseOptions } from './china-number';

/**
 * Streams a contact list (CSV or TXT, up to 10 columns, any size) into a sink one
 * row at a time. A bad row is reported with its line number and the reason, and
 * the import goes on: every good row is kept. The number is in the first column
 * unless told otherwise; a first line whose number cell is not a number but has
 * letters is taken as a header.
 */
export const MAX_COLUMNS = 10;

export interface RowProblem {
  line: number;
  reason: string;
  /** The row as read (cut to 200 characters). */
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
}

/** Splits one CSV line (RFC 4180 quoting, one physical line per record). */
export function splitCsvLine(line: string): string[] | { error: string } {
  const cells: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let startOfCell = true;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && startOfCell) {
      quoted = true;
      startOfCell = false;
      i++;
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      startOfCell = true;
      i++;
      continue;
    }
    cell += ch;
    startOfCell = false;
    i++;
  }
  if (quoted) return { error: 'a quoted cell is not closed' };
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** TXT: tab, comma or semicolon separated; otherwise one number per line (spaces inside it allowed) or space-separated columns. */
function splitTxtLine(line: string): string[] {
  const sep = line.includes('\t') ? /\t/ : line.includes(',') ? /,/ : line.includes(';') ? /;/ : undefined;
  if (sep) return line.trim().split(sep).map((c) => c.trim());
  return normaliseChinaNumber(line).ok ? [line.trim()] : line.trim().split(/\s+/);
}

/** Reads a list from a file path or a stream, calling `onRow` for each good row in file order. */
export async function importContacts(source: string | Readable, onRow: (row: ImportedRow) => void, opts: ImportOptions = {}): Promise<ImportReport> {
  const name = typeof source === 'string' ? source : 'contact list';
  const format = opts.format ?? (typeof source === 'string' && /\.txt$/i.test(source) ? 'txt' : 'csv');
  const stream = typeof source === 'string' ? createReadStream(source, { encoding: 'utf8' }) : source;
  const report: ImportReport = { lines: 0, accepted: 0, blacklisted: 0, duplicates: 0, rejected: 0, problems: [] };
  const maxProblems = opts.maxProblems ?? 1000;
  const seen = opts.dropDuplicates === false ? undefined : new Set<string>();
  let numberColumn = typeof opts.numberColumn === 'number' ? opts.numberColumn : 0;
  const reject = (line: number, reason: string, text: string) => {
    report.rejected++;
    if (report.problems.length < maxProblems) report.problems.push({ line, reason, text: text.slice(0, 200) });
  };
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      const lineNo = ++report.lines;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
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
      if (report.accepted === 0 && report.rejected === 0 && !report.header && looksLikeHeader(cells, numberColumn)) {
        report.header = cells;
        if (typeof opts.numberColumn === 'string') {
          const i = cells.findIndex((c) => c.toLowerCase() === (opts.numberColumn as string).toLowerCase());
          if (i < 0) throw new InputError(`${name} line 1`, `no column named '${opts.numberColumn}' (columns: ${cells.join(', ')})`);
          numberColumn = i;
        }
        continue;
      }
      const cell = cells[numberColumn];
      if (cell === undefined || cell === '') {
        reject(lineNo, `no number in column ${numberColumn + 1}`, text);
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
      if (seen) {
        if (seen.has(n.number)) {
          report.duplicates++;
          continue;
        }
        seen.add(n.number);
      }
      report.accepted++;
      onRow({ number: n.number, fields: cells.filter((_, i) => i !== numberColumn), line: lineNo });
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(name, `cannot be read after line ${report.lines}: ${(err as Error).message}`);
  }
  return report;
}

function looksLikeHeader(cells: string[], numberColumn: number): boolean {
  const cell = cells[numberColumn] ?? '';
  return /[A-Za-z\u4e00-\u9fff]/.test(cell) && !normaliseChinaNumber(cell).ok;
}
