/**
 * A YAML file kept with its source positions, so that a problem found in the parsed
 * data can be reported at the line where the installer wrote it.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isScalar, LineCounter, Node, parseDocument, visit } from 'yaml';
import { InputError } from '../core/errors';
import { ConfigFileError, ConfigIssue } from './errors';

export type FieldPath = readonly (string | number)[];

/** Site, profile and campaign files are hand-written: anything bigger is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Alias expansions allowed in one document. YAML aliases are handy for repeated
 * span settings, but nested ones multiply (a "billion laughs" file of a few lines
 * expands to gigabytes); the yaml package counts them and stops past this.
 */
export const MAX_ALIAS_EXPANSIONS = 100;

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly data: unknown,
    private readonly doc: ReturnType<typeof parseDocument>,
    private readonly lines: LineCounter,
  ) {}

  static fromText(text: string, file: string): YamlSource {
    if (text.length > MAX_CONFIG_BYTES) throw tooBig(file, text.length);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length) {
      throw new ConfigFileError(
        doc.errors.map((e) => ({
          file,
          line: e.linePos?.[0].line ?? 1,
          field: '',
          message: `YAML syntax: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        })),
      );
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (err) {
      // The yaml package throws a ReferenceError for an alias bomb: report it like any other problem.
      const line = firstAliasLine(doc, lines);
      throw new ConfigFileError([
        {
          file,
          line,
          field: '',
          message: `YAML aliases expand too much (more than ${MAX_ALIAS_EXPANSIONS} expansions): write the values out instead (${(err as Error).message.split('\n')[0]})`,
        },
      ]);
    }
    return new YamlSource(file, data, doc, lines);
  }

  static fromFile(file: string): YamlSource {
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_CONFIG_BYTES) throw tooBig(file, size);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof ConfigFileError) throw err;
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

function tooBig(file: string, size: number): ConfigFileError {
  return new ConfigFileError([
    { file, line: 1, field: '', message: `is ${size} bytes; a configuration file has at most ${MAX_CONFIG_BYTES} (1 MiB)` },
  ]);
}

function firstAliasLine(doc: ReturnType<typeof parseDocument>, lines: LineCounter): number {
  let line = 1;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) line = lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

/** ["boards", 0, "spans", 1, "framing"] -> "boards[0].spans[1].framing" */
export function fieldName(path: FieldPath): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
