/**
 * `npm run bench`: runs every registered benchmark, prints one table each, and
 * writes all figures to bench/results/latest.json (and a dated copy).
 * `npm run bench -- NAME...` runs only the named ones. What each is doing goes to
 * stderr as it works (a live line on a terminal); tables go to stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { processIO } from '../src/cli/cli-io';
import { defineCommand, execute, UsageError } from '../src/cli/command';
import { ProgressLine } from '../src/cli/progress-line';
import { BenchContext, BenchSection, renderTable } from './bench-table';

export const BENCHES: Record<string, () => Promise<{ run(ctx?: BenchContext): Promise<BenchSection[]> }>> = {
  pri: () => import('./pri-bench'),
  dahdi: () => import('./dahdi-bench'),
  r2: () => import('./r2-bench'),
  no7: () => import('./no7-bench'),
  telemetry: () => import('./telemetry-bench'),
  fxo: () => import('./fxo-bench'),
  e1: () => import('./e1-bench'),
  pacing: () => import('./pacing-bench'),
  contacts: () => import('./contacts-bench'),
  sqlite: () => import('./sqlite-bench'),
  gateway: () => import('./gateway-bench'),
  gsm: () => import('./gsm-bench'),
  soak: () => import('./soak-bench'),
  voice: () => import('./voice-bench'),
  'store-pg': () => import('./store-pg-bench'),
};

/** "[2/6] dahdi 12 s: 4 spans  (total 95 s)": which benchmark, how long it has run, its step. */
export function benchStatus(index: number, count: number, name: string, step: string, benchSec: number, totalSec: number): string[] {
  return [`[${index}/${count}] ${name} ${Math.floor(benchSec)} s${step ? `: ${step}` : ''}`, `(total ${Math.floor(totalSec)} s)`];
}

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'speed and accuracy benchmarks: one table each on stdout, figures in bench/results/latest.json',
  description: `Benchmarks: ${Object.keys(BENCHES).join(', ')} (all when none is named). Progress goes to stderr.`,
  options: {
    seeds: {
      type: 'integer',
      value: 'N',
      min: 1,
      max: 100,
      default: Number(process.env.PACING_SEEDS ?? 20),
      description: 'seeds per pacing scenario (PACING_SEEDS; default 20)',
    },
  },
  positionals: [{ name: 'NAME', description: `benchmarks to run: ${Object.keys(BENCHES).join(', ')}`, variadic: true }],
  examples: ['npm run bench', 'npm run bench -- pri r2', 'npm run bench -- pacing --seeds 2'],
  async run({ options, positionals }, io) {
    const names = positionals.length ? positionals : Object.keys(BENCHES);
    const unknown = names.filter((n) => !Object.hasOwn(BENCHES, n));
    if (unknown.length)
      throw new UsageError('NAME', `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    const progress = new ProgressLine({
      write: io.stderr,
      isTTY: Boolean(process.stderr.isTTY),
      get columns() {
        return process.stderr.columns;
      },
    });
    const results: Record<string, BenchSection[]> = {};
    const t0 = Date.now();
    for (const [i, name] of names.entries()) {
      const started = Date.now();
      let step = '';
      const show = (force: boolean) =>
        progress.update(benchStatus(i + 1, names.length, name, step, (Date.now() - started) / 1000, (Date.now() - t0) / 1000), { force });
      const ctx: BenchContext = {
        step: (text) => {
          step = text;
          show(true);
        },
        seeds: options.seeds,
      };
      show(true);
      // A benchmark may hold the loop for seconds; the ticker shows whenever it yields.
      const ticker = setInterval(() => process.stderr.isTTY && show(false), 1000);
      try {
        results[name] = await (await BENCHES[name]()).run(ctx);
      } finally {
        clearInterval(ticker);
      }
      progress.done();
      io.stderr(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      for (const s of results[name]) io.stdout(renderTable(s) + '\n');
    }
    const dir = join(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const doc = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, results };
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(doc, null, 2) + '\n');
    writeFileSync(join(dir, `bench-${doc.at.replace(/[:.]/g, '-')}.json`), JSON.stringify(doc, null, 2) + '\n');
    io.stdout(`figures written to ${join(dir, 'latest.json')}\n`);
    return 0;
  },
});

if (require.main === module) {
  execute(benchCommand, process.argv.slice(2), processIO, { program: 'bench', path: [], invocation: 'npm run bench --' }).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
