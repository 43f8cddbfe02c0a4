/**
 * Lines of an uploaded text file, read as bytes with bounded memory whatever the
 * file: a line longer than `maxLineBytes` is skipped (reported, never collected),
 * and each line is decoded on its own, strictly, so a byte sequence that is not
 * valid in the file's encoding rejects that line instead of corrupting it.
 *
 * Encodings: UTF-8 (with or without BOM), UTF-16LE/BE (with BOM, or declared), and
 * GB18030 (which reads GBK and GB2312 too; needs Node's full ICU, the default
 * build). Undeclared and without a BOM, the first 64 KiB decide: valid UTF-8 is
 * UTF-8, else valid GB18030 is GB18030, else the file is refused with the reason.
 */
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { InputError } from '../core/errors';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030'];

export interface TextLineOptions {
  /** 'auto' (default): BOM, else sniffed (UTF-8 or GB18030). */
  encoding?: TextEncoding | 'auto';
  /** Longest line kept, in bytes of the file (default 16 KiB). */
  maxLineBytes?: number;
  /** Names the file in errors. */
  name: string;
}

export type TextLine = { line: number; text: string } | { line: number; problem: string };

const SNIFF_BYTES = 64 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

const BOMS: { bytes: number[]; encoding: TextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

export class TextLineReader {
  /** Known once the first line has been read. */
  encoding: TextEncoding | undefined;
  private readonly maxLineBytes: number;

  constructor(
    private readonly source: AsyncIterable<Buffer | string>,
    private readonly opts: TextLineOptions,
  ) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  async *lines(): AsyncGenerator<TextLine> {
    const it = this.source[Symbol.asyncIterator]();
    try {
      yield* this.linesOf(it);
    } finally {
      // Left early (a caller's error or break) or not: the source is closed (a file, its descriptor).
      await it.return?.();
    }
  }

  private async *linesOf(it: AsyncIterator<Buffer | string>): AsyncGenerator<TextLine> {
    // Gather the first bytes to decide the encoding.
    const head: Buffer[] = [];
    let headLen = 0;
    let ended = false;
    while (headLen < SNIFF_BYTES) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        break;
      }
      // Copied: a source may hand the same buffer again with the next bytes (readFileChunks).
      const b = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value);
      head.push(b);
      headLen += b.length;
    }
    let first = Buffer.concat(head);
    const { encoding, bomLength } = this.decide(first);
    this.encoding = encoding;
    first = first.subarray(bomLength);

    const splitter = new LineSplitter(encoding, this.maxLineBytes);
    yield* splitter.push(first);
    if (!ended) {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        yield* splitter.push(typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value);
      }
    }
    yield* splitter.end();
  }

  private decide(head: Buffer): { encoding: TextEncoding; bomLength: number } {
    const declared = this.opts.encoding ?? 'auto';
    const bom = BOMS.find((b) => b.bytes.every((v, i) => head[i] === v));
    if (bom) {
      if (declared !== 'auto' && declared !== bom.encoding)
        throw new InputError(this.opts.name, `starts with a ${bom.encoding.toUpperCase()} byte-order mark but was declared ${declared}`);
      return { encoding: bom.encoding, bomLength: bom.bytes.length };
    }
    if (declared !== 'auto') return { encoding: declared, bomLength: 0 };
    if (head.includes(0))
      throw new InputError(
        this.opts.name,
        'has NUL bytes: UTF-16 without a byte-order mark, or not a text file; save it with a BOM or declare the encoding (utf-16le, utf-16be)',
      );
    if (decodes('utf-8', head)) return { encoding: 'utf-8', bomLength: 0 };
    if (decodes('gb18030', head)) return { encoding: 'gb18030', bomLength: 0 };
    throw new InputError(
      this.opts.name,
      'is neither UTF-8 nor GB18030/GBK text; declare its encoding (utf-8, utf-16le, utf-16be, gb18030) or convert it',
    );
  }
}

/** Valid in that encoding, allowing a sequence cut at the end of the sample. */
function decodes(encoding: TextEncoding, bytes: Buffer): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * A file's bytes in chunks read into one reused buffer: each chunk is valid until
 * the next is asked for (TextLineReader decodes or copies before then). A read
 * stream allocates a new 64 KiB buffer per chunk, freed only when the garbage
 * collector gets to it: for a large list that is megabytes of memory held for nothing.
 */
export async function* readFileChunks(path: string, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(chunkBytes);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** Splits bytes at newlines (of the encoding's code unit), decoding each line strictly. */
class LineSplitter {
  private readonly unit: 1 | 2;
  private readonly newline: Buffer;
  private readonly decoder: TextDecoder;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private skipping = false;
  private lineNo = 0;
  /** UTF-16: an odd byte left from the last chunk. */
  private carry: Buffer | undefined;

  constructor(
    private readonly encoding: TextEncoding,
    private readonly maxLineBytes: number,
  ) {
    this.unit = encoding.startsWith('utf-16') ? 2 : 1;
    this.newline =
      encoding === 'utf-16le' ? Buffer.from([0x0a, 0]) : encoding === 'utf-16be' ? Buffer.from([0, 0x0a]) : Buffer.from([0x0a]);
    this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  }

  *push(chunk: Buffer): Generator<TextLine> {
    if (this.carry) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    if (this.unit === 2 && chunk.length % 2 === 1) {
      this.carry = chunk.subarray(chunk.length - 1);
      chunk = chunk.subarray(0, chunk.length - 1);
    }
    let start = 0;
    for (;;) {
      let at = chunk.indexOf(this.newline, start);
      while (at >= 0 && this.unit === 2 && at % 2 === 1) at = chunk.indexOf(this.newline, at + 1);
      if (at < 0) {
        this.collect(chunk.subarray(start));
        return;
      }
      if (this.partsLength === 0 && !this.skipping) {
        // The whole line is in this chunk: decoded from it in place, no copy (a copy per
        // line is a million small buffers for a million rows, freed only lazily).
        yield this.decodeLine(++this.lineNo, chunk.subarray(start, at));
      } else {
        this.collect(chunk.subarray(start, at));
        yield this.finishLine();
      }
      start = at + this.newline.length;
    }
  }

  *end(): Generator<TextLine> {
    if (this.carry) this.collect(this.carry);
    if (this.partsLength > 0 || this.skipping) yield this.finishLine();
  }

  private collect(bytes: Buffer): void {
    if (this.skipping || bytes.length === 0) return;
    if (this.partsLength + bytes.length > this.maxLineBytes) {
      // Too long: drop what was gathered and ignore the rest of this line.
      this.skipping = true;
      this.parts = [];
      this.partsLength = 0;
      return;
    }
    // Copy: the chunk's memory is not kept alive by a short piece of it.
    this.parts.push(Buffer.from(bytes));
    this.partsLength += bytes.length;
  }

  private finishLine(): TextLine {
    const line = ++this.lineNo;
    if (this.skipping) {
      this.skipping = false;
      return { line, problem: `is longer than ${this.maxLineBytes} bytes; skipped` };
    }
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLength);
    this.parts = [];
    this.partsLength = 0;
    return this.decodeLine(line, bytes);
  }

  private decodeLine(line: number, bytes: Buffer): TextLine {
    if (bytes.length > this.maxLineBytes) return { line, problem: `is longer than ${this.maxLineBytes} bytes; skipped` };
    try {
      const text = this.decoder.decode(bytes);
      return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    } catch {
      return {
        line,
        problem: `is not valid ${this.encoding.toUpperCase()} text (declare the file's encoding: utf-8, utf-16le, utf-16be or gb18030)`,
      };
    }
  }
}
