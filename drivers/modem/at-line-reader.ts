import { AtResponseError } from './errors';

export type AtLine = { kind: 'line'; text: string } | { kind: 'invalid'; error: AtResponseError };

const CR = 0x0d;
const LF = 0x0a;
const EXCERPT = 40;

/**
 * Splits a modem's byte stream into lines. Bounded: a line over `maxLine` bytes is
 * reported once as line-too-long and dropped up to its end, so a modem spewing
 * garbage costs at most `maxLine` bytes of memory. A line with control characters or
 * bytes outside ASCII is reported as garbage instead of reaching a parser.
 */
export class AtLineReader {
  private buf: number[] = [];
  private overflowing = false;

  constructor(
    private readonly port: string,
    private readonly maxLine = 512,
  ) {}

  /** Bytes held for an unfinished line (for timeouts: the tail of a truncated response). */
  get pending(): string {
    return Buffer.from(this.buf).toString('latin1');
  }

  push(bytes: Uint8Array): AtLine[] {
    const out: AtLine[] = [];
    for (const b of bytes) {
      if (b === CR || b === LF) {
        if (this.overflowing) this.overflowing = false;
        else if (this.buf.length) out.push(this.finish());
        this.buf = [];
        continue;
      }
      if (this.overflowing) continue;
      this.buf.push(b);
      // The SMS prompt "> " ends without a line end; take it as a line of its own.
      if (this.buf.length === 2 && this.buf[0] === 0x3e && this.buf[1] === 0x20) {
        out.push({ kind: 'line', text: '> ' });
        this.buf = [];
      } else if (this.buf.length > this.maxLine) {
        out.push({
          kind: 'invalid',
          error: new AtResponseError(this.port, 'line-too-long', `${this.excerpt()}... (over ${this.maxLine} bytes)`),
        });
        this.buf = [];
        this.overflowing = true;
      }
    }
    return out;
  }

  /** Forgets a half-received line (after a reopen, a reset). */
  reset(): void {
    this.buf = [];
    this.overflowing = false;
  }

  private finish(): AtLine {
    const bad = this.buf.some((b) => (b < 0x20 && b !== 0x09) || b >= 0x7f);
    if (bad) return { kind: 'invalid', error: new AtResponseError(this.port, 'garbage', this.excerpt()) };
    return { kind: 'line', text: Buffer.from(this.buf).toString('latin1').trim() };
  }

  private excerpt(): string {
    return Buffer.from(this.buf.slice(0, EXCERPT))
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
}
