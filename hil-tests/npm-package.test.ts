/**
 * trunkpilot as a library: `npm pack` (which builds on prepare), installed into a new
 * project as a user would, without the network (its dependencies are linked from this
 * checkout's node_modules), then a TypeScript program compiled against the package's
 * declarations with tsc and run: a simulated span, a call, its outcome.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const LAYERS = [
  'drivers',
  'signalling',
  'controller',
  'seats',
  'campaign',
  'pacing',
  'site',
  'runtime',
  'telemetry',
  'provisioning',
  'simulator',
];

const CONSUMER = `
import { silentLogger, Q850 } from 'trunkpilot';
import { TrunkGroup, type DialResult } from 'trunkpilot/controller';
import { buildPriRig, CalleePopulation } from 'trunkpilot/simulator';
${LAYERS.map((l, i) => `import * as layer${i} from 'trunkpilot/${l}';`).join('\n')}

async function main(): Promise<void> {
  const population = new CalleePopulation({ seed: 1 });
  population.override('13800138000', 'answer');
  population.override('13900000000', 'busy');
  const rig = await buildPriRig({ spans: 1, seed: 1, population, logger: silentLogger });
  try {
    const group: TrunkGroup = rig.group;
    if (!(await group.whenReady(10_000))) throw new Error('the simulated span did not come into service');
    const answered: DialResult = await group.dial({ number: '13800138000', callerId: '075512345678', ringTimeoutSec: 10 });
    answered.call?.hangup(Q850.NORMAL_CLEARING);
    const released = await answered.call?.ended;
    const busy = await group.dial({ number: '13900000000', ringTimeoutSec: 10 });
    const layers = [${LAYERS.map((_, i) => `layer${i}`).join(', ')}].map((m) => Object.keys(m).length);
    console.log(JSON.stringify({ answered: answered.outcome, released: released?.by, busy: busy.outcome, busyCause: busy.cause, idle: group.idleChannels(), total: group.totalChannels(), layers }));
  } finally {
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
`;

/** Modules a layer keeps to itself: FFI prototypes, struct layouts, the simulator's CLI. */
const INTERNAL = [
  /\/ffi\.ts$/,
  /^drivers\/native-library\.ts$/,
  /^drivers\/libpri\/event-layout\.ts$/,
  /^drivers\/dahdi\/(structs|abi)\.ts$/,
  /^simulator\/cli\//,
  /^simulator\/audio\/progress-corpus\.ts$/,
  /^simulator\/r2\/mf-accuracy\.ts$/,
];

function modulesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

describe('the layer entry points', () => {
  it('each re-exports every module of its layer but the internal ones', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const missing: string[] = [];
    // provisioning's index is curated by name (its planners' helpers stay inside): not checked here.
    for (const layer of LAYERS.filter((l) => l !== 'provisioning')) {
      const index = pkg.exports[`./${layer}`].types.replace('./dist/', '').replace(/\.d\.ts$/, '.ts');
      const dir = index.replace(/\/index\.ts$/, '');
      const text = readFileSync(join(ROOT, index), 'utf8');
      const lines = text.split('\n').filter((l) => l.startsWith('export'));
      // Merges tend to add the same line twice: each module is listed once.
      for (const dup of lines.filter((l, i) => lines.indexOf(l) !== i)) missing.push(`${index}: listed twice: ${dup}`);
      for (const file of modulesUnder(dir)) {
        if (file === index || INTERNAL.some((re) => re.test(file))) continue;
        const spec = `./${relative(dir, file).replace(/\.ts$/, '')}`;
        if (!text.includes(`from '${spec}'`)) missing.push(`${index}: export * from '${spec}';`);
      }
    }
    // A new module is public by default: add its line to the layer's index (or to INTERNAL here).
    expect(missing).toEqual([]);
  });
});

describe('the npm package', () => {
  let dir: string;
  let tarball: string;
  let files: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-package-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    tarball = join(dir, packed[0].filename);
    files = packed[0].files.map((f: { path: string }) => f.path);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the compiled layers with their declarations, and no tests', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const layer of LAYERS) {
      const entry = pkg.exports[`./${layer}`];
      expect(entry).toBeDefined();
      expect(files).toContain(entry.types.replace('./', ''));
      expect(files).toContain(entry.default.replace('./', ''));
    }
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('bin/trunkpilot');
    expect(files.filter((f) => /\.test\.|test-support|hil-tests|^src\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(pkg.scripts.prepare).toMatch(/^tsc -p tsconfig\.build\.json/);
  });

  it('installs offline into a new project; a TypeScript program compiles against it and places a call', () => {
    const project = join(dir, 'consumer');
    mkdirSync(project);
    // The package's own dependencies, linked from this checkout, so npm fetches nothing.
    const deps: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies;
    const dependencies: Record<string, string> = { trunkpilot: `file:${tarball}` };
    for (const name of Object.keys(deps)) dependencies[name] = `file:${join(ROOT, 'node_modules', name)}`;
    dependencies['@types/node'] = `file:${join(ROOT, 'node_modules', '@types', 'node')}`;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }, null, 2),
    );
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(install.stderr).not.toMatch(/ERR/);
    expect(install.status).toBe(0);

    writeFileSync(join(project, 'main.ts'), CONSUMER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          types: ['node'],
          outDir: 'out',
          skipLibCheck: true,
        },
        files: ['main.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    const run = spawnSync(process.execPath, [join(project, 'out', 'main.js')], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ answered: 'answered', released: 'local', busy: 'busy', busyCause: 17, idle: 30, total: 30 });
    expect(result.layers.every((n: number) => n > 0)).toBe(true);
    // Resolved from the package in the project, not from this checkout.
    const resolved = spawnSync(process.execPath, ['-p', "require.resolve('trunkpilot/controller')"], {
      cwd: project,
      encoding: 'utf8',
    }).stdout.trim();
    expect(resolved).toBe(join(project, 'node_modules', 'trunkpilot', 'dist', 'src', 'controller', 'index.js'));
    // And the CLI came with it.
    const version = spawnSync(join(project, 'node_modules', '.bin', 'trunkpilot'), ['--version'], { cwd: project, encoding: 'utf8' });
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  }, 240_000);
});
