/**
 * Structural validation against the JSON Schemas shipped in board-profiles/schema,
 * with Ajv's findings turned into file:line field messages.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigIssue } from './errors';
import { boardProfilesDir } from './paths';
import { FieldPath, YamlSource } from './yaml-source';

function schemaDir(): string {
  return join(boardProfilesDir(), 'schema');
}

/** The JSON Schemas in board-profiles/schema/, by file name without .schema.json. */
export type SchemaName = 'board-profile' | 'site' | 'campaign';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
const compiled = new Map<string, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    fn = ajv.compile(JSON.parse(readFileSync(join(schemaDir(), `${name}.schema.json`), 'utf8')));
    compiled.set(name, fn);
  }
  return fn;
}

export function schemaPath(name: SchemaName): string {
  return join(schemaDir(), `${name}.schema.json`);
}

export function checkSchema(name: SchemaName, source: YamlSource, data: unknown = source.data): ConfigIssue[] {
  const validate = validator(name);
  if (validate(data)) return [];
  const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'if', 'anyOf', 'allOf'].includes(e.keyword));
  const issues = errors.map((e) => toIssue(e, source));
  // Ajv can report one problem through several branches: keep each message once.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.line}|${i.field}|${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function pointerToPath(pointer: string): FieldPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function toIssue(e: ErrorObject, source: YamlSource): ConfigIssue {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return source.issue([...path, String(p.additionalProperty)], `unknown key '${String(p.additionalProperty)}'`, true);
    case 'required':
      return source.issue([...path, String(p.missingProperty)], 'is required but missing');
    case 'enum':
      return source.issue(
        path,
        `must be one of ${(p.allowedValues as unknown[]).join(', ')} (got ${JSON.stringify(valueAt(source.data, path))})`,
      );
    case 'const':
      return source.issue(path, `must be ${JSON.stringify(p.allowedValue)} (got ${JSON.stringify(valueAt(source.data, path))})`);
    case 'not': {
      const banned = ((e.schema as { required?: string[] } | undefined)?.required ?? [])[0];
      if (banned) return source.issue([...path, banned], 'does not belong on this kind of board', true);
      return source.issue(path, 'has a combination of keys that is not allowed');
    }
    case 'pattern':
      return source.issue(path, `${JSON.stringify(valueAt(source.data, path))} ${describePattern(String(p.pattern))}`);
    default:
      return source.issue(path, e.message ?? e.keyword);
  }
}

function describePattern(pattern: string): string {
  if (pattern.includes('\\d+(\\s*-')) return 'is not a list of numbers and ranges like "1-15,17-31"';
  if (pattern === '^[0-9a-f]{4}$') return 'is not 4 lower-case hex digits';
  if (pattern === '^[01]{4}$') return 'is not 4 bits like "1111"';
  if (pattern === '^[0-9]{3,20}$') return 'is not a telephone number of 3-20 digits';
  if (pattern === '^\\+?[0-9]{3,20}$') return 'is not a telephone number of 3-20 digits (a leading + allowed)';
  if (pattern === '^([0-9+]{1,31}\\*?|\\*)$') return "is not a number, or a prefix ending in '*'";
  if (pattern === '^[A-Z]{2}$') return 'is not a two-letter country code like "CN"';
  return `does not match ${pattern}`;
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let cur = data;
  for (const p of path) cur = (cur as Record<string | number, unknown> | undefined)?.[p];
  return cur;
}
