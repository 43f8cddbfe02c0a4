import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulatedCalls, CallRunSummary } from '../call-run';
import { createLogger } from '../../src/core/logger';
import { InputError } from '../../src/core/errors';
import { CliIO } from '../../src/cli/cli-io';
import { parseCommandArgs, wholeNumberOption } from '../../src/cli/options';
import { progressBar, renderRows } from '../../src/cli/render';

const USAGE = `usage: trunkpilot sim calls --signalling pri --spans N --calls M [--concurrency C] [--seed S]
                          [--ring-timeout SEC] [--transport memory|dahdi] [--pcap FILE] [--json] [--verbose] [--trace]

--transport dahdi runs the signalling through drivers/dahdi on the userspace DAHDI
(libfakedahdi.so, preloaded by re-running this command with LD_PRELOAD).

       trunkpilot sim exec [--spans N] [--signalling pri|r2-cn|fxo] [--fault SPAN=NAME]... -- CMD [ARGS...]
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'exec') return (await import('./sim-exec')).run(rest, io);
  if (sub !== 'calls') {
    io.stderr(USAGE);
    return 2;
  }
  const values = parseCommandArgs('sim calls', rest, {
        signalling: { type: 'string', default: 'pri' },
        spans: { type: 'string' },
        calls: { type: 'string' },
        concurrency: { type: 'string' },
        seed: { type: 'string' },
        'ring-timeout': { type: 'string' },
        pcap: { type: 'string' },
        transport: { type: 'string', default: 'memory' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        // Signalling steps (line states, MF signals and their meaning) to stderr, where the rig can say them.
        trace: { type: 'boolean', default: false },
      }, USAGE);
  const spans = wholeNumberOption(values.spans, 'spans', 1, 1, 8);
  const calls = wholeNumberOption(values.calls, 'calls', 100, 0, 10_000_000);
  const concurrency = values.concurrency === undefined ? undefined : wholeNumberOption(values.concurrency, 'concurrency', 1, 1, 100_000);
  const seed = wholeNumberOption(values.seed, 'seed', 1, 0, 2 ** 31);
  const ringTimeoutSec = values['ring-timeout'] === undefined ? undefined : wholeNumberOption(values['ring-timeout'], 'ring-timeout', 45, 1, 600);
  const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });
  const transport = values.transport;
  if (transport !== 'memory' && transport !== 'dahdi') throw new InputError('--transport', `must be 'memory' or 'dahdi', got '${transport}'`);
  if (transport === 'dahdi') {
    const rerun = await rerunWithFakeDahdi(argv, io);
    if (rerun !== undefined) return rerun;
  }

  const showProgress = !values.json && io.isTTY;
  const summary = await runSimulatedCalls({
    signalling: values.signalling!,
    spans,
    calls,
    concurrency,
    seed,
    ringTimeoutSec,
    pcapFile: values.pcap,
    transport,
    logger,
    trace: values.trace ? (line) => io.stderr(line + '\n') : undefined,
    onProgress: showProgress ? (done, total) => { if (done % 10 === 0 || done === total) io.stdout(`\r${progressBar(done, total)}`); } : undefined,
  });
  if (showProgress) io.stdout('\n');
  io.stdout(values.json ? JSON.stringify(summary) + '\n' : renderSummary(summary, values.signalling!, spans));
  const resolved = Object.values(summary.outcomes).reduce((a, b) => a + b, 0) === summary.attempts;
  return resolved && summary.leaked_channels === 0 ? 0 : 1;
}

export function renderSummary(s: CallRunSummary, signalling: string, spans: number): string {
  const rows: [string, string | number][] = [
    ['signalling', `${signalling} x ${spans} span(s)`],
    ['attempts', s.attempts],
    ...Object.entries(s.outcomes).map(([k, v]): [string, number] => [`  ${k}`, v]),
    ['causes', Object.entries(s.causes).map(([c, n]) => `${c}:${n}`).join(' ')],
    ['leaked channels', s.leaked_channels],
    ['elapsed', `${(s.elapsed_ms / 1000).toFixed(2)} s`],
    ['calls per second', s.calls_per_sec],
  ];
  return renderRows(rows);
}

/**
 * The userspace DAHDI must be in the process before libc: when it is not, run this
 * same command again in a child with LD_PRELOAD and pass its output through.
 * Returns undefined when already preloaded.
 */
async function rerunWithFakeDahdi(argv: string[], io: CliIO): Promise<number | undefined> {
  const { preloadedFakeDahdi, fakeDahdiLibraryPath } = await import('../dahdi/fake-dahdi-lib');
  if (preloadedFakeDahdi() !== null) return undefined;
  const lib = fakeDahdiLibraryPath();
  if (!existsSync(lib)) throw new InputError('--transport dahdi', `${lib} is missing: run scripts/setup`);
  const bin = join(__dirname, '..', '..', '..', 'bin', 'trunkpilot'); // from dist/simulator/cli
  const child = spawnSync(process.execPath, [bin, 'sim', ...argv], { env: { ...process.env, LD_PRELOAD: lib }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  io.stdout(child.stdout ?? '');
  io.stderr(child.stderr ?? '');
  return child.status ?? 1;
}
