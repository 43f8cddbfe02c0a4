/**
 * One live progress line. On a terminal it is redrawn in place and cut to the
 * terminal's width (a line one column too long wraps, and the next `\r` redraws
 * only the second half, leaving the first on screen); elsewhere (a log, a pipe)
 * each update is a whole line, uncut and at most one a second.
 */
import { CliIO } from './cli-io';

export const DEFAULT_COLUMNS = 80;
const SEPARATOR = '  ';
const ELLIPSIS = '…';

/**
 * The segments in the order given, joined, cut to fit `columns` (one column stays
 * free: writing the last column makes some terminals wrap at once). Whole segments
 * are kept while they fit; the first that does not is cut with an ellipsis.
 */
export function fitLine(segments: readonly string[], columns: number): string {
  const room = Math.max(1, columns - 1);
  const line = segments.filter((s) => s.length > 0).join(SEPARATOR).replace(/[\r\n\t]/g, ' ');
  const chars = [...line]; // by code point, so a cut never splits a surrogate pair
  return chars.length <= room ? line : chars.slice(0, room - 1).join('').trimEnd() + ELLIPSIS;
}

/** "12/120 s": elapsed against the planned total, whole seconds. */
export function elapsedOfTotal(elapsedSec: number, totalSec: number): string {
  return `${Math.floor(elapsedSec)}/${Math.round(totalSec)} s`;
}

/** What a run still waits for once it stops starting work: "finishing 7 calls, up to 45 s". */
export function drainText(what: { count: number; singular: string; plural: string; upToSec: number }): string {
  return `finishing ${what.count} ${what.count === 1 ? what.singular : what.plural}, up to ${Math.max(0, Math.ceil(what.upToSec))} s`;
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
  /** Terminal width; DEFAULT_COLUMNS when unknown. */
  columns?: number;
}

/** A progress line on a command's stdout. */
export function toStdout(io: CliIO): ProgressOutput {
  return { write: io.stdout, isTTY: io.isTTY, get columns() { return io.columns; } };
}

export class ProgressLine {
  private drawn = false;
  private lastPlainAt = -Infinity;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
  ) {}

  update(segments: readonly string[], opts: { force?: boolean } = {}): void {
    if (this.out.isTTY) {
      // A terminal that reports no width (0: a pty nobody sized, e.g. under script(1)) is taken as 80.
      const columns = this.out.columns && this.out.columns > 0 ? this.out.columns : DEFAULT_COLUMNS;
      this.out.write(`\r${fitLine(segments, columns)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const now = this.now();
    if (!opts.force && now - this.lastPlainAt < 1000) return;
    this.lastPlainAt = now;
    this.out.write(segments.filter(Boolean).join(SEPARATOR) + '\n');
  }

  /** Ends the live line so what follows starts on a fresh one. */
  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
