/**
 * The one CLI convention: every command declares itself, and this module parses,
 * prints help and maps errors to exit codes for all of them.
 *
 * How to add a command (or a subcommand):
 *   1. Write `src/cli/commands/<name>.ts` with `export default defineCommand({ name, summary,
 *      description, options, examples, exitCodes, run })`. Options are declared with a value
 *      name and a description (types: flag, string, list, integer, number; bounds, choices,
 *      defaults and `required` are checked here, so `run` gets typed, valid values).
 *      Heavy imports (native libraries, the simulator) go inside `run` with `await import()`.
 *      A command with subcommands is `defineGroup({ name, summary, subcommands: [...] })`.
 *   2. Add one line `name: () => import('./commands/<name>')` to PRODUCT_COMMANDS in
 *      `src/cli/main.ts` (a command that runs the simulator: to SIMULATOR_COMMANDS in
 *      `simulator/cli/commands.ts`, its module beside it). app/trunkpilot.ts joins both.
 *   3. In `run`: throw `UsageError` for bad usage the declaration cannot express (exit 2); any
 *      `TrunkpilotError` is a runtime failure (exit 1, message on stderr); return 0 or one of
 *      the special codes you declared in `exitCodes` (0, 1 and 2 are always documented).
 *   `src/cli/cli-convention.test.ts` walks every registered command: --help, -h, exit codes
 *   and the usage-error prefix are checked without anything more to write.
 *
 *   export default defineCommand({
 *     name: 'hello',
 *     summary: 'greets someone',
 *     options: { name: { type: 'string', value: 'NAME', required: true, description: 'who' } },
 *     examples: ['trunkpilot hello --name Li'],
 *     exitCodes: { 3: 'nobody answered' },
 *     async run({ options }, io) { io.stdout(`hello ${options.name}\n`); return 0; },
 *   });
 */
import { InputError } from '../core/errors';
import { CliIO } from './cli-io';

/** Bad usage of a command: exit 2, `<program>: usage: ...` on stderr. */
export class UsageError extends InputError {}

interface OptionBase {
  description: string;
  /** One-letter alias, without the dash. */
  short?: string;
}
export type OptionSpec =
  | (OptionBase & { type: 'flag' })
  | (OptionBase & { type: 'string'; value: string; default?: string; required?: boolean; choices?: readonly string[] })
  | (OptionBase & { type: 'list'; value: string })
  | (OptionBase & { type: 'integer'; value: string; min: number; max: number; default?: number; required?: boolean })
  | (OptionBase & { type: 'number'; value: string; min: number; max: number; default?: number; required?: boolean; unit?: string });
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type Given<S> = S extends { default: unknown } | { required: true } ? true : false;
type ValueOf<S> = S extends { type: 'flag' }
  ? boolean
  : S extends { type: 'list' }
    ? string[]
    : S extends { type: 'integer' | 'number' }
      ? Given<S> extends true
        ? number
        : number | undefined
      : S extends { choices: readonly (infer C)[] }
        ? Given<S> extends true
          ? C
          : C | undefined
        : Given<S> extends true
          ? string
          : string | undefined;
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  /** Takes all the remaining positionals (last one only). */
  variadic?: boolean;
}

export interface ParsedArgs<O extends OptionSpecs> {
  options: OptionValues<O>;
  positionals: string[];
  /** The words after `--` (only for commands that declare `passThrough`). */
  rest: string[];
  /** The arguments exactly as given, for a command that runs itself again. */
  argv: string[];
}

export interface CommandSpec<O extends OptionSpecs> {
  name: string;
  summary: string;
  /** Paragraphs shown under the usage line. */
  description?: string;
  options: O;
  positionals?: readonly PositionalSpec[];
  /** Words after `--` are handed over as they are, e.g. `{ name: 'CMD [ARGS...]', description }`. */
  passThrough?: { name: string; description: string; required?: boolean };
  examples: readonly string[];
  /** Codes beyond the defaults, or the command's own wording of 0, 1 or 2. */
  exitCodes?: Readonly<Record<number, string>>;
  run(args: ParsedArgs<O>, io: CliIO): Promise<number>;
}

export interface Command {
  readonly kind: 'command';
  readonly spec: CommandSpec<OptionSpecs>;
}
export interface CommandGroup {
  readonly kind: 'group';
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly subcommands: readonly (Command | CommandGroup)[];
}
export type AnyCommand = Command | CommandGroup;

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  for (const [name, o] of Object.entries(spec.options)) {
    if (name === 'help' || o.short === 'h') throw new Error(`${spec.name}: --help/-h is built in`);
  }
  return { kind: 'command', spec: spec as unknown as CommandSpec<OptionSpecs> };
}

export function defineGroup(group: Omit<CommandGroup, 'kind'>): CommandGroup {
  return { kind: 'group', ...group };
}

export const DEFAULT_EXIT_CODES: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'runtime failure (the reason is on stderr)',
  2: 'usage error: unknown option, bad value or missing argument (on stderr)',
};

/** Where a command runs: the program name in messages and the words before the command. */
export interface CommandContext {
  program: string;
  /** Command words so far, e.g. ['sim', 'calls']. */
  path: string[];
  /** How a user types it when that is not `program path...`, e.g. 'npm run bench --'. */
  invocation?: string;
}

const invocationOf = (ctx: CommandContext) => ctx.invocation ?? [ctx.program, ...ctx.path].join(' ');

const isHelp = (a: string) => a === '-h' || a === '--help';

/**
 * Runs a command or group with its arguments: help, parsing, and the exit-code
 * convention. Typed errors other than usage errors propagate (the caller words them).
 */
export async function execute(cmd: AnyCommand, argv: string[], io: CliIO, ctx: CommandContext): Promise<number> {
  try {
    if (cmd.kind === 'group') return await runGroup(cmd, argv, io, ctx);
    const beforeDashes = argv.indexOf('--') < 0 ? argv : argv.slice(0, argv.indexOf('--'));
    if (beforeDashes.some(isHelp)) {
      io.stdout(commandHelp(cmd, ctx));
      return 0;
    }
    const args = parseCommandLine(cmd.spec, argv);
    return await cmd.spec.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(usageErrorText(err, cmd, ctx));
      return 2;
    }
    throw err;
  }
}

async function runGroup(group: CommandGroup, argv: string[], io: CliIO, ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError(ctx.path.join(' '), `a subcommand is required: ${names(group)}`);
  if (isHelp(sub) || sub === 'help') {
    io.stdout(groupHelp(group, ctx));
    return 0;
  }
  const found = group.subcommands.find((c) => commandName(c) === sub);
  if (!found) throw new UsageError(ctx.path.join(' '), `unknown subcommand '${sub}'; one of: ${names(group)}`);
  return execute(found, rest, io, { ...ctx, path: [...ctx.path, sub] });
}

export function commandName(c: AnyCommand): string {
  return c.kind === 'group' ? c.name : c.spec.name;
}
export function commandSummary(c: AnyCommand): string {
  return c.kind === 'group' ? c.summary : c.spec.summary;
}
const names = (g: CommandGroup) => g.subcommands.map(commandName).join(', ');

function usageErrorText(err: UsageError, cmd: AnyCommand, ctx: CommandContext): string {
  const where = ctx.path.join(' ');
  const first = `${ctx.program}: usage: ${err.where === where || !where ? '' : `${where}: `}${err.message}`;
  const line = cmd.kind === 'command' ? `\n${usageLine(cmd.spec, ctx)}` : '';
  return `${first}${line}\n(see '${invocationOf(ctx)} --help')\n`;
}

/** Parses argv against a command's declaration; every problem is a UsageError naming the option. */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): ParsedArgs<O> {
  const raw: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  let rest: string[] = [];
  const byShort = new Map(
    Object.entries(spec.options)
      .filter(([, o]) => o.short)
      .map(([n, o]) => [o.short!, n]),
  );
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      if (!spec.passThrough) throw new UsageError('--', 'this command takes nothing after --');
      rest = argv.slice(i + 1);
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      inline = eq < 0 ? undefined : word.slice(eq + 1);
      if (!Object.hasOwn(spec.options, name)) throw new UsageError(`--${name}`, 'unknown option');
    } else if (/^-[A-Za-z]$/.test(word)) {
      name = byShort.get(word[1]);
      if (!name) throw new UsageError(word, 'unknown option');
    } else if (word.startsWith('-') && word.length > 1 && !/^-\d/.test(word)) {
      throw new UsageError(word, 'unknown option');
    } else {
      positionals.push(word);
      continue;
    }
    const o = spec.options[name];
    if (o.type === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${name}`, 'takes no value');
      raw[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length || argv[i + 1] === '--') throw new UsageError(`--${name}`, `needs a value (${o.value})`);
      value = argv[++i];
    }
    if (o.type === 'list') raw[name] = [...((raw[name] as string[]) ?? []), value];
    else raw[name] = value;
  }
  const options: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) options[name] = convert(name, o, raw[name]);
  checkPositionals(spec, positionals);
  if (spec.passThrough?.required && rest.length === 0) throw new UsageError(spec.name, `${spec.passThrough.name} is required after --`);
  return { options: options as OptionValues<O>, positionals, rest, argv };
}

function convert(name: string, o: OptionSpec, value: string | boolean | string[] | undefined): unknown {
  const flag = `--${name}`;
  switch (o.type) {
    case 'flag':
      return value === true;
    case 'list':
      return value ?? [];
    case 'string':
      if (value === undefined) {
        if (o.required) throw new UsageError(flag, `is required (${o.value})`);
        return o.default;
      }
      if (o.choices && !o.choices.includes(value as string))
        throw new UsageError(flag, `must be one of ${o.choices.join(', ')}, got '${value}'`);
      return value;
    case 'integer':
    case 'number': {
      if (value === undefined) {
        if (o.required) throw new UsageError(flag, `is required (${o.value})`);
        return o.default;
      }
      const n = Number(value);
      const whole = o.type === 'integer';
      if ((value as string).trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < o.min || n > o.max) {
        const what = whole ? 'a whole number' : `a number${o.type === 'number' && o.unit ? ` of ${o.unit}` : ''}`;
        throw new UsageError(flag, `must be ${what} from ${o.min} to ${o.max}, got '${value}'`);
      }
      return n;
    }
  }
}

function checkPositionals(spec: CommandSpec<OptionSpecs>, given: string[]): void {
  const declared = spec.positionals ?? [];
  declared.forEach((p, i) => {
    if (p.required && given.length <= i) throw new UsageError(p.name, 'is required');
  });
  const variadic = declared.length > 0 && declared[declared.length - 1].variadic;
  if (!variadic && given.length > declared.length) throw new UsageError(given[declared.length], 'unexpected argument');
}

function optionWords(name: string, o: OptionSpec): string {
  const long = o.type === 'flag' ? `--${name}` : `--${name} ${o.value}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

export function usageLine(spec: CommandSpec<OptionSpecs>, ctx: CommandContext): string {
  const words = [invocationOf(ctx)];
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === 'flag') continue;
    if ((o.type === 'string' || o.type === 'integer' || o.type === 'number') && o.required) words.push(`--${name} ${o.value}`);
  }
  if (Object.values(spec.options).some((o) => !('required' in o) || !o.required)) words.push('[options]');
  for (const p of spec.positionals ?? []) words.push(`${p.required ? p.name : `[${p.name}]`}${p.variadic ? '...' : ''}`);
  if (spec.passThrough) words.push(`-- ${spec.passThrough.name}`);
  return `usage: ${words.join(' ')}`;
}

function describeOption(o: OptionSpec): string {
  const extra: string[] = [];
  if (o.type === 'string' && o.choices) extra.push(`one of ${o.choices.join(', ')}`);
  if (o.type === 'integer' || o.type === 'number') extra.push(`${o.min}-${o.max}${o.type === 'number' && o.unit ? ` ${o.unit}` : ''}`);
  if ((o.type === 'string' || o.type === 'integer' || o.type === 'number') && o.default !== undefined) extra.push(`default ${o.default}`);
  if ((o.type === 'string' || o.type === 'integer' || o.type === 'number') && o.required) extra.push('required');
  if (o.type === 'list') extra.push('repeatable');
  if (!extra.length) return o.description;
  // "... (default: every channel)" + bounds reads as one parenthesis, not two.
  return o.description.endsWith(')') ? `${o.description.slice(0, -1)}; ${extra.join('; ')})` : `${o.description} (${extra.join('; ')})`;
}

/** Help is laid out for an 80-column terminal, whatever prints it (a pipe, a README). */
export const HELP_COLUMNS = 80;

/** Words of `text` in lines of at most `width` characters (a longer word keeps its own line). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Two columns; the second wraps under itself so no line passes HELP_COLUMNS. */
export function table(rows: [string, string][], indent = '  '): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  const room = Math.max(20, HELP_COLUMNS - 1 - indent.length - w - 2);
  const pad = ' '.repeat(indent.length + w + 2);
  return rows
    .map(([k, v]) => {
      const [first = '', ...more] = wrapWords(v, room);
      return [`${indent}${k.padEnd(w)}  ${first}`.trimEnd(), ...more.map((l) => pad + l)].join('\n');
    })
    .join('\n');
}

export function exitCodesOf(spec: CommandSpec<OptionSpecs>): [number, string][] {
  const codes = { ...DEFAULT_EXIT_CODES, ...spec.exitCodes };
  return Object.entries(codes)
    .map(([c, t]): [number, string] => [Number(c), t])
    .sort((a, b) => a[0] - b[0]);
}

export function commandHelp(cmd: Command, ctx: CommandContext): string {
  const spec = cmd.spec;
  const out = [usageLine(spec, ctx), '', spec.summary];
  if (spec.description) out.push('', spec.description.trim());
  const rows: [string, string][] = Object.entries(spec.options).map(([n, o]) => [optionWords(n, o), describeOption(o)]);
  for (const p of spec.positionals ?? []) rows.push([`    ${p.name}`, p.description]);
  if (spec.passThrough) rows.push([`    -- ${spec.passThrough.name}`, spec.passThrough.description]);
  rows.push(['-h, --help', 'show this help']);
  out.push('', 'options:', table(rows));
  out.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  out.push('', 'exit codes:', table(exitCodesOf(spec).map(([c, t]) => [String(c), t])));
  return out.join('\n') + '\n';
}

export function groupHelp(group: CommandGroup, ctx: CommandContext): string {
  const words = invocationOf(ctx);
  const out = [`usage: ${words} <subcommand> [options]`, '', group.summary];
  if (group.description) out.push('', group.description.trim());
  out.push('', 'subcommands:', table(group.subcommands.map((c) => [commandName(c), commandSummary(c)])));
  out.push('', `run '${words} <subcommand> --help' for its options, examples and exit codes`);
  return out.join('\n') + '\n';
}
