/**
 * A YAML file kept with its source positions, so that a problem found in the parsed
 * data can be reported at the line where the installer wrote it.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, Node, parseDocument } from 'yaml';
import { InputError } from '../core/errors';
import { ConfigFileError, ConfigIssue } from './errors';

export type FieldPath = readonly (string | number)[];

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly data: unknown,
    private readonly doc: ReturnType<typeof parseDocument>,
    private readonly lines: LineCounter,
  ) {}

  static fromText(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length) {
      throw new ConfigFileError(
        doc.errors.map((e) => ({ file, line: e.linePos?.[0].line ?? 1, field: '', message: `YAML syntax: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` })),
      );
    }
    return new YamlSource(file, doc.toJS(), doc, lines);
  }

  static fromFile(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return YamlSource.fromText(text, file);
  }

  /** Line of the value at `path`; of the key when `atKey`; falls back to the nearest existing parent. */
  lineOf(path: FieldPath, atKey = false): number {
    for (let n = path.length; n >= 0; n--) {
      const head = path.slice(0, n);
      if (atKey && n === path.length && n > 0) {
        const parent = this.doc.getIn(head.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === head[head.length - 1]);
          const range = (pair?.key as Node | undefined)?.range;
          if (range) return this.lines.linePos(range[0]).line;
        }
        continue;
      }
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(head, true)) as Node | null | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  issue(path: FieldPath, message: string, atKey = false): ConfigIssue {
    return { file: this.file, line: this.lineOf(path, atKey), field: fieldName(path), message };
  }
}

/** ["boards", 0, "spans", 1, "framing"] -> "boards[0].spans[1].framing" */
export function fieldName(path: FieldPath): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
