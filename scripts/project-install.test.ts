import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { changedDuring } from './tree-guard';

/**
 * What `scripts/setup` promises a fresh machine: the npm dependencies exactly as the committed
 * lockfile has them, for every platform, and the project's own Node 24 under every npm script
 * and under bin/trunkpilot, whatever Node the machine has.
 */
const ROOT = join(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const projectNodeVersion = `v${readJson('node_modules/node/package.json').version}`;

describe("the project's Node", () => {
  test('the test run itself is on the project-local Node 24 that package.json asks for', () => {
    expect(readJson('package.json').devDependencies.node).toMatch(/^\^24\./);
    expect(process.version).toBe(projectNodeVersion);
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  test("bin/trunkpilot started by another Node runs on the project's Node, with the same output and exit code", () => {
    // Another Node from PATH without node_modules/.bin (a system Node 20 on Debian 12, say); when
    // the machine has none, this very Node, which must then run it directly.
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => !d.includes('node_modules'))
      .join(delimiter);
    const found = spawnSync('sh', ['-c', 'command -v node'], { env: { ...process.env, PATH: path }, encoding: 'utf8' }).stdout.trim();
    const otherNode = found || process.execPath;
    const out = mkdtempSync(join(tmpdir(), 'tp-node-'));
    const preload = join(out, 'note-version.js');
    writeFileSync(preload, `require('node:fs').appendFileSync(${JSON.stringify(join(out, 'versions'))}, process.version + '\\n');`);
    const run = (node: string, args: string[]) =>
      spawnSync(node, [join(ROOT, 'bin', 'trunkpilot'), ...args], {
        env: { ...process.env, PATH: path, NODE_OPTIONS: `--require ${preload}` },
        encoding: 'utf8',
      });

    const help = run(otherNode, ['--help']);
    const otherVersion = execFileSync(otherNode, ['--version'], { encoding: 'utf8', env: { PATH: path } }).trim();
    const versions = readFileSync(join(out, 'versions'), 'utf8').trim().split('\n');
    // The last process that loaded anything is the one that ran the command.
    expect(versions[versions.length - 1]).toBe(projectNodeVersion);
    expect(versions).toEqual(otherVersion === projectNodeVersion ? [projectNodeVersion] : [otherVersion, projectNodeVersion]);

    const direct = run(process.execPath, ['--help']);
    expect(help.status).toBe(direct.status);
    expect(help.stdout).toBe(direct.stdout);
    const bad = run(otherNode, ['no-such-command']);
    expect(bad.status).not.toBe(0);
    expect(bad.status).toBe(run(process.execPath, ['no-such-command']).status);
  });
});

describe('the committed lockfile', () => {
  const lock = readJson('package-lock.json');
  const packages: Record<string, { optionalDependencies?: Record<string, string>; version?: string }> = lock.packages;

  /** Where Node would find `name` from the package at `from`: its own node_modules, then each parent's. */
  function resolveEntry(from: string, name: string): string | undefined {
    for (let dir = from; ; dir = dir.includes('node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (packages[key]) return key;
      if (!dir) return undefined;
    }
  }

  test("carries every platform's optional packages (npm ci on another platform needs them)", () => {
    const missing: string[] = [];
    let optional = 0;
    for (const [at, entry] of Object.entries(packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        optional++;
        if (!resolveEntry(at, name)) missing.push(`${name} (optional dependency of ${at || 'the project'})`);
      }
    }
    expect(missing).toEqual([]);
    // @swc/core alone names a binary package for each of a dozen platforms.
    expect(optional).toBeGreaterThanOrEqual(12);
    expect(Object.keys(packages).filter((k) => k.startsWith('node_modules/@swc/core-')).length).toBeGreaterThanOrEqual(10);
  });

  test('matches package.json, so npm ci accepts it', () => {
    const pkg = readJson('package.json');
    const root = packages[''] as Record<string, Record<string, string>>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      expect({ field, deps: root[field] ?? {} }).toEqual({ field, deps: pkg[field] ?? {} });
    }
  });

  test("the install script of the project's Node is allowed (npm 11 skips unapproved ones)", () => {
    expect(readJson('package.json').allowScripts?.node).toBe(true);
    expect(realpathSync(join(ROOT, 'node_modules', '.bin', 'node'))).toBe(realpathSync(join(ROOT, 'node_modules', 'node', 'bin', 'node')));
  });
});

describe('the tree guard (a test run leaves the checkout as it found it)', () => {
  test('names what the run changed, and only that', () => {
    const before = [' M README.md', '?? notes.txt'];
    const after = [' M README.md', '?? notes.txt', ' M package-lock.json', '?? src/left-behind.pcap'];
    expect(changedDuring(before, after)).toEqual([' M package-lock.json', '?? src/left-behind.pcap']);
    expect(changedDuring(after, after)).toEqual([]);
  });
});
