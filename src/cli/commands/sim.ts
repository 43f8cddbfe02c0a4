import { parseArgs } from 'node:util';
import { runSimulatedCalls, CallRunSummary } from '../../../simulator/call-run';
import { createLogger } from '../../core/logger';
import { InputError } from '../../core/errors';
import { CliIO } from '../cli-io';
import { progressBar, renderRows } from '../render';

const USAGE = `usage: trunkpilot sim calls --signalling pri --spans N --calls M [--concurrency C] [--seed S]
                          [--ring-timeout SEC] [--pcap FILE] [--json] [--verbose]
`;

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name}`, `must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'calls') {
    io.stderr(USAGE);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        signalling: { type: 'string', default: 'pri' },
        spans: { type: 'string' },
        calls: { type: 'string' },
        concurrency: { type: 'string' },
        seed: { type: 'string' },
        'ring-timeout': { type: 'string' },
        pcap: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new InputError('sim calls', `${(err as Error).message}\n${USAGE}`);
  }
  const spans = intOption(values.spans, 'spans', 1, 1, 8);
  const calls = intOption(values.calls, 'calls', 100, 0, 10_000_000);
  const concurrency = values.concurrency === undefined ? undefined : intOption(values.concurrency, 'concurrency', 1, 1, 100_000);
  const seed = intOption(values.seed, 'seed', 1, 0, 2 ** 31);
  const ringTimeoutSec = values['ring-timeout'] === undefined ? undefined : intOption(values['ring-timeout'], 'ring-timeout', 45, 1, 600);
  const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });

  const showProgress = !values.json && io.isTTY;
  const summary = await runSimulatedCalls({
    signalling: values.signalling!,
    spans,
    calls,
    concurrency,
    seed,
    ringTimeoutSec,
    pcapFile: values.pcap,
    logger,
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
