/**
 * The CLI convention, checked on every registered command and subcommand: help on
 * stdout with exit 0, usage errors on stderr with one prefix and exit 2, runtime
 * failures exit 1. A new command is covered as soon as it is in COMMANDS.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIO } from './cli-io';
import { benchCommand } from '../../bench/run';
import { COMMANDS, main } from '../../app/trunkpilot';
import { AnyCommand, Command, commandName, execute, OptionSpec } from './command';
import { loadCommand } from './main';

const ROOT = join(__dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await main(argv, io as CliIO);
  return { code, out: io.out, err: io.err };
}

interface Leaf {
  path: string[];
  cmd: Command;
}
const groups: { path: string[]; names: string[] }[] = [];

function walk(c: AnyCommand, path: string[], leaves: Leaf[]): void {
  if (c.kind === 'command') {
    leaves.push({ path, cmd: c });
    return;
  }
  groups.push({ path, names: c.subcommands.map(commandName) });
  for (const sub of c.subcommands) walk(sub, [...path, commandName(sub)], leaves);
}

/** Valid-looking words for the options a command requires (and `-- true` last), so a test can break exactly one thing. */
function requiredArgs(cmd: Command, except?: string): string[] {
  const out: string[] = [];
  for (const [name, o] of Object.entries(cmd.spec.options)) {
    if (name === except || !('required' in o) || !o.required) continue;
    out.push(
      `--${name}`,
      o.type === 'integer' || o.type === 'number' ? String(o.min) : o.type === 'string' && o.choices ? o.choices[0] : 'x',
    );
  }
  if (cmd.spec.passThrough?.required) out.push('--', 'true');
  return out;
}

const isUsageError = (r: { code: number; out: string; err: string }, path: string[]) => {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.startsWith(`trunkpilot: usage: ${path.join(' ')}: `)).toBe(true);
  expect(r.err).toContain(`(see 'trunkpilot ${path.join(' ')} --help')`);
};

describe('every command follows the CLI convention', () => {
  const leaves: Leaf[] = [];
  beforeAll(async () => {
    for (const name of Object.keys(COMMANDS)) walk(await loadCommand(COMMANDS, name), [name], leaves);
  });

  it('finds the commands and their subcommands', () => {
    const paths = leaves.map((l) => l.path.join(' '));
    expect(paths).toEqual(
      expect.arrayContaining([
        'run',
        'campaign add',
        'campaign export',
        'campaign test-call',
        'dial',
        'sim calls',
        'sim exec',
        'status',
        'detect',
        'provision check',
        'provision plan',
        'provision apply',
        'bench pacing',
      ]),
    );
  });

  it('--help and -h: usage, options, examples and exit codes on stdout, exit 0', async () => {
    for (const { path, cmd } of leaves) {
      const long = await cli(...path, '--help');
      expect({ path, code: long.code, err: long.err }).toEqual({ path, code: 0, err: '' });
      const text = long.out;
      expect(text.startsWith(`usage: trunkpilot ${path.join(' ')}`)).toBe(true);
      for (const section of ['\noptions:\n', '\nexamples:\n', '\nexit codes:\n']) expect(text).toContain(section);
      for (const name of Object.keys(cmd.spec.options)) expect(text).toContain(`--${name}`);
      expect(cmd.spec.examples.length).toBeGreaterThan(0);
      for (const e of cmd.spec.examples) expect(e.startsWith(`trunkpilot ${path.join(' ')}`)).toBe(true);
      const codes = text
        .slice(text.indexOf('\nexit codes:\n'))
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .map((l) => Number(l.trim().split(/\s+/)[0]));
      expect(codes).toEqual(expect.arrayContaining([0, 1, 2]));
      // The option and exit-code tables wrap to fit an 80-column terminal.
      for (const section of ['\noptions:\n', '\nexit codes:\n']) {
        const rows = text
          .slice(text.indexOf(section) + section.length)
          .split('\n\n')[0]
          .split('\n');
        expect(rows.filter((r) => r.length >= 80 && / \S+ \S/.test(r.trim()))).toEqual([]);
      }
      // Help wins over everything else on the line, even a bad option.
      expect(await cli(...path, '--bogus', '-h')).toEqual({ code: 0, out: text, err: '' });
    }
  });

  it('an unknown option is a usage error: stderr, one prefix, exit 2, nothing on stdout', async () => {
    for (const { path, cmd } of leaves) {
      const r = await cli(...path, '--no-such-option', ...requiredArgs(cmd));
      isUsageError(r, path);
      expect(r.err).toContain('--no-such-option: unknown option');
      expect(r.err).toContain(`\nusage: trunkpilot ${path.join(' ')}`);
    }
  });

  it('a bad value, a missing value or a missing required option is a usage error naming the option', async () => {
    let checked = 0;
    for (const { path, cmd } of leaves) {
      for (const [name, o] of Object.entries(cmd.spec.options) as [string, OptionSpec][]) {
        if (o.type === 'integer' || o.type === 'number') {
          for (const bad of ['x', String(o.max + 1), String(o.min - 1)]) {
            const r = await cli(...path, `--${name}`, bad, ...requiredArgs(cmd, name));
            isUsageError(r, path);
            expect(r.err).toContain(`--${name}: must be a`);
            checked++;
          }
        }
        if (o.type === 'string' && o.choices) {
          const r = await cli(...path, `--${name}`, 'no-such-choice', ...requiredArgs(cmd, name));
          isUsageError(r, path);
          expect(r.err).toContain(`--${name}: must be one of ${o.choices.join(', ')}`);
          checked++;
        }
        if (o.type !== 'flag') {
          const r = await cli(...path, `--${name}`);
          isUsageError(r, path);
          checked++;
        }
        if ('required' in o && o.required) {
          const r = await cli(...path, ...requiredArgs(cmd, name));
          isUsageError(r, path);
          expect(r.err).toContain(`--${name}: is required`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('groups list their subcommands on --help and refuse a missing or unknown one with exit 2', async () => {
    expect(groups.map((g) => g.path.join(' '))).toEqual(expect.arrayContaining(['sim', 'provision', 'bench']));
    for (const { path, names } of groups) {
      const help = await cli(...path, '--help');
      expect(help.code).toBe(0);
      for (const n of names) expect(help.out).toMatch(new RegExp(`^  ${n}\\s`, 'm'));
      isUsageError(await cli(...path), path);
      const unknown = await cli(...path, 'no-such-subcommand');
      isUsageError(unknown, path);
      expect(unknown.err).toContain(`unknown subcommand 'no-such-subcommand'; one of: ${names.join(', ')}`);
      expect((await cli('help', ...path)).out).toBe(help.out);
    }
  });
});

describe('the program', () => {
  it('--help lists every command; --version prints the package version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.out).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    expect(help.out).toContain('exit codes');
    expect(await cli('--version')).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  it('no command or an unknown one is a usage error', async () => {
    for (const argv of [[], ['frobnicate'], ['--frobnicate']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^trunkpilot: usage: /);
    }
  });

  it('a runtime failure is exit 1 with the command named and no stack', async () => {
    const r = await cli('provision', 'check', '--site', '/nonexistent/site.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^trunkpilot provision: \/nonexistent\/site\.yaml/);
    expect(r.err).not.toContain('    at ');
  });

  it('documents its special codes and keeps their numbers', async () => {
    expect((await cli('provision', 'plan', '--help')).out).toMatch(/^ {2}2 +the files differ from the plan/m);
    expect((await cli('dial', '--help')).out).toMatch(/^ {2}3 +the call ended unanswered/m);
  });

  it('bin/trunkpilot without dist/ says how to build, in one line, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-nodist-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(join(ROOT, 'bin', 'trunkpilot'), join(dir, 'bin', 'trunkpilot'));
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'trunkpilot'), 'status'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `trunkpilot: ${join(dir, 'dist')} is missing or incomplete: run 'npm run build' (or scripts/setup) in ${dir}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run bench takes its arguments through the same parser', async () => {
    const run = async (...argv: string[]) => {
      const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
      const code = await execute(benchCommand, argv, io, { program: 'bench', path: [], invocation: 'npm run bench --' });
      return { code, out: io.out, err: io.err };
    };
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: npm run bench -- \[options\] \[NAME\]\.\.\./);
    expect(help.out).toContain('--seeds N');
    const unknown = await run('no-such-bench');
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toMatch(/^bench: usage: NAME: unknown benchmark\(s\): no-such-bench; known: pri, /);
    expect((await run('pacing', '--seeds', '0')).err).toMatch(/^bench: usage: --seeds: must be a whole number from 1 to 100, got '0'/);
  });
});
