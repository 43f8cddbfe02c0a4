/**
 * `npm run bench`: runs every registered benchmark, prints one table each, and
 * writes all figures to bench/results/latest.json (and a dated copy).
 * `npm run bench -- NAME...` runs only the named ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { BenchSection, renderTable } from './bench-table';

const BENCHES: Record<string, () => Promise<{ run(): Promise<BenchSection[]> }>> = {
  pri: () => import('./pri-bench'),
  dahdi: () => import('./dahdi-bench'),
  r2: () => import('./r2-bench'),
  telemetry: () => import('./telemetry-bench'),
  fxo: () => import('./fxo-bench'),
  pacing: () => import('./pacing-bench'),
  sqlite: () => import('./sqlite-bench'),
};

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
    return 2;
  }
  const results: Record<string, BenchSection[]> = {};
  for (const name of names) {
    const sections = await (await BENCHES[name]()).run();
    results[name] = sections;
    for (const s of sections) process.stdout.write(renderTable(s) + '\n');
  }
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const doc = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, results };
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(doc, null, 2) + '\n');
  writeFileSync(join(dir, `bench-${doc.at.replace(/[:.]/g, '-')}.json`), JSON.stringify(doc, null, 2) + '\n');
  process.stdout.write(`figures written to ${join(dir, 'latest.json')}\n`);
  return 0;
}

main().then((code) => (process.exitCode = code), (err) => { console.error(err); process.exitCode = 1; });
