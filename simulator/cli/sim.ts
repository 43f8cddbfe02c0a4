import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CallRunSummary } from '../call-run';
import { InputError } from '../../src/core/errors';
import { createLogger } from '../../src/core/logger';
import { CliIO } from '../../src/cli/cli-io';
import { defineCommand, defineGroup, UsageError } from '../../src/cli/command';
import { renderRows } from '../../src/cli/render';
import { ProgressLine, toStdout } from '../../src/cli/progress-line';

const calls = defineCommand({
  name: 'calls',
  summary: 'place calls through the controller against a simulated network and count the outcomes',
  description: `The production Span and TrunkGroup dial against a simulated exchange (a seeded callee
population: answer, busy, unallocated, no answer, congestion, absent). --transport dahdi runs
the signalling through drivers/dahdi on the userspace DAHDI (libfakedahdi.so, preloaded by
running this command again with LD_PRELOAD). --json prints one object:
{"attempts","resolved","outcomes":{...},"causes":{"<Q.850>":n},"retried","leaked_channels",
"faults_injected":{...},"elapsed_ms","calls_per_sec","rss_start_mb","rss_end_mb"}. --fault SPEC (repeatable)
drives a fault of the shared catalogue the rig has: NAME[:span=N][@AT|~EVERY][+FOR], e.g. LOS@3s+5s
(PRI: LOS, AIS, DCHANNEL_DOWN, GLARE, RESET_CHANNEL; r2-cn: LOS, AIS, BLOCK, CAS_HIT, GLARE; fxo:
BATTERY_LOSS, MESSAGE_WAITING; ss7-isup/ss7-tup: LINK_FAILURE, BLOCK, RESET_CHANNEL; gsm: the modem
faults). Names are read in any case; the former glare, block, cas-hit, battery-loss, message-waiting,
restart-channel and reset-channel still work.
A number that finds the link down or no free channel is dialled again after a back-off.`,
  options: {
    signalling: {
      type: 'string',
      value: 'NAME',
      default: 'pri',
      description: 'the simulated network: pri, r2-cn, fxo, ss7-isup, ss7-tup, gsm (and any rig in simulator/rigs.ts)',
    },
    variant: {
      type: 'string',
      value: 'NAME',
      choices: ['china', 'itu'],
      description: 'No.7 point codes and labels: china (24-bit, the default) or itu (14-bit)',
    },
    spans: { type: 'integer', value: 'N', min: 1, max: 8, default: 1, description: 'spans to simulate' },
    modems: {
      type: 'integer',
      value: 'N',
      min: 1,
      max: 64,
      description: 'gsm: GSM/LTE modules in the trunk group, models cycling Quectel, SIMCom, Huawei (default 4)',
    },
    calls: { type: 'integer', value: 'M', min: 0, max: 10_000_000, default: 100, description: 'calls to place' },
    concurrency: { type: 'integer', value: 'C', min: 1, max: 100_000, description: 'calls in flight at once (default: every channel)' },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 31, default: 1, description: 'seed of the callee population' },
    'ring-timeout': {
      type: 'integer',
      value: 'SEC',
      min: 1,
      max: 600,
      description: 'the controller gives up ringing after SEC (default 45)',
    },
    transport: {
      type: 'string',
      value: 'KIND',
      choices: ['memory', 'dahdi'],
      default: 'memory',
      description: 'how signalling reaches the simulated network',
    },
    pcap: {
      type: 'string',
      value: 'FILE',
      description:
        'write the D-channel frames as pcap (tshark decodes them as Q.931; No.7: MTP2 link type, read with -o mtp3.standard:"Chinese ITU")',
    },
    fault: { type: 'list', value: 'SPEC', description: 'a fault while the calls run: NAME[:span=N][@AT|~EVERY][+FOR] (repeatable)' },
    json: { type: 'flag', description: 'the summary as one JSON object' },
    verbose: { type: 'flag', description: 'debug logging on stderr' },
    trace: { type: 'flag', description: 'signalling steps (line states, MF signals and their meaning) on stderr' },
  },
  examples: [
    'trunkpilot sim calls --signalling pri --spans 2 --calls 1000 --seed 7 --json',
    'trunkpilot sim calls --spans 1 --calls 200 --pcap d-channel.pcap   # then: tshark -r d-channel.pcap',
    'trunkpilot sim calls --signalling r2-cn --calls 5 --trace',
    'trunkpilot sim calls --signalling ss7-isup --variant china --calls 500 --pcap no7.pcap --json',
    'trunkpilot sim calls --signalling gsm --modems 6 --calls 200 --json',
    'trunkpilot sim calls --calls 2000 --fault LOS@2s+3s --fault GLARE~1s --json',
  ],
  exitCodes: { 0: 'every call was resolved and no channel leaked', 1: 'a call was left unresolved, a channel leaked, or an error' },
  async run({ options: values, argv }, io) {
    const { SIM_RIGS } = await import('../rigs');
    if (!Object.hasOwn(SIM_RIGS, values.signalling)) {
      throw new UsageError('--signalling', `'${values.signalling}' is not simulated here (available: ${Object.keys(SIM_RIGS).join(', ')})`);
    }
    const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });
    if (values.transport === 'dahdi') {
      const rerun = await rerunWithFakeDahdi(argv, io);
      if (rerun !== undefined) return rerun;
    }
    const { runSimulatedCalls } = await import('../call-run');
    const { parseFaultSpec } = await import('../fault-schedule');
    const faults = values.fault.map(parseFaultSpec);
    const progress = callProgress(io, !values.json);
    const summary = await runSimulatedCalls({
      signalling: values.signalling,
      spans: values.spans,
      modems: values.modems,
      calls: values.calls,
      concurrency: values.concurrency,
      seed: values.seed,
      ringTimeoutSec: values['ring-timeout'],
      pcapFile: values.pcap,
      variant: values.variant,
      transport: values.transport,
      faults,
      logger,
      trace: values.trace ? (line) => io.stderr(line + '\n') : undefined,
      onProgress: progress.onProgress,
    });
    progress.done();
    io.stdout(values.json ? JSON.stringify(summary) + '\n' : renderSummary(summary, values.signalling, values.spans, values.modems));
    const resolved = Object.values(summary.outcomes).reduce((a, b) => a + b, 0) === summary.resolved && summary.resolved === values.calls;
    return resolved && summary.leaked_channels === 0 ? 0 : 1;
  },
});

const soak = defineCommand({
  name: 'soak',
  summary: 'many calls with the whole fault catalogue at random: leaks, stuck calls, memory',
  description: `Places --calls calls (as sim calls does) while every fault the rig knows fires at random
(each every --fault-every on average, conditions lasting --fault-for), then prints
{"attempts","resolved","leaked_channels","stuck_seats","faults_injected":{...},"rss_start_mb",
"rss_end_mb","calls_per_sec"}. Answered calls are handed to --seats seats (the product's seat
distributor, with simulated agents who talk, hang up and wrap up); stuck_seats counts the seats
not ready again once every call has ended (null with --seats 0). PRI (libpri's timers
included), China No.1 and No.7 run in virtual time, as fast as the machine goes; calls_per_sec
is per wall-clock second.
--wall-clock runs it in real time.`,
  options: {
    signalling: {
      type: 'string',
      value: 'KIND',
      default: 'pri',
      description: 'the simulated network: pri, r2-cn, fxo, ss7-isup, ss7-tup, gsm',
    },
    calls: { type: 'integer', value: 'N', min: 1, max: 10_000_000, default: 1000, description: 'calls to place' },
    seats: { type: 'integer', value: 'N', min: 0, max: 1000, default: 10, description: 'seats answered calls are handed to (0: none)' },
    spans: { type: 'integer', value: 'N', min: 1, max: 8, default: 1, description: 'spans to simulate' },
    faults: {
      type: 'string',
      value: 'WHICH',
      default: 'all',
      choices: ['all', 'none'],
      description: 'the whole catalogue of the rig, or none',
    },
    'fault-every': {
      type: 'integer',
      value: 'MS',
      min: 10,
      max: 3_600_000,
      default: 3000,
      description: 'mean time between two faults of one kind',
    },
    'fault-for': { type: 'integer', value: 'MS', min: 1, max: 3_600_000, default: 1000, description: 'how long a line condition lasts' },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 31, default: 1, description: 'seed of callees and faults' },
    json: { type: 'flag', description: 'the result as one JSON object' },
    'wall-clock': { type: 'flag', description: 'run in real time even where the rig can run in virtual time' },
    verbose: { type: 'flag', description: 'debug logging on stderr' },
  },
  examples: ['trunkpilot sim soak --signalling pri --calls 5000 --faults all --seed 3 --json'],
  exitCodes: {
    0: 'every call resolved, no channel leaked, no seat stuck',
    1: 'a call unresolved, a channel leaked or a seat stuck, or an error',
  },
  async run({ options: values }, io) {
    const { SIM_RIGS } = await import('../rigs');
    if (!Object.hasOwn(SIM_RIGS, values.signalling))
      throw new UsageError('--signalling', `'${values.signalling}' is not simulated here (available: ${Object.keys(SIM_RIGS).join(', ')})`);
    const { runSoak } = await import('../soak-run');
    const progress = callProgress(io, !values.json);
    const result = await runSoak({
      onProgress: progress.onProgress,
      signalling: values.signalling,
      calls: values.calls,
      spans: values.spans,
      seed: values.seed,
      faults: values.faults === 'all',
      faultEveryMs: values['fault-every'],
      faultForMs: values['fault-for'],
      seats: values.seats,
      virtualTime: values['wall-clock'] ? false : undefined,
      logger: createLogger({ level: values.verbose ? 'debug' : 'error' }),
    });
    progress.done();
    io.stdout(
      values.json
        ? JSON.stringify(result) + '\n'
        : renderRows(
            Object.entries(result).map(([k, v]): [string, string | number] => [
              k,
              typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
            ]),
          ),
    );
    return result.resolved === values.calls && result.leaked_channels === 0 && !result.stuck_seats ? 0 : 1;
  },
});

const exec = defineCommand({
  name: 'exec',
  summary: 'run any program (dahdi_scan, dahdi_cfg, a DAHDI client) with the userspace DAHDI',
  description: `Runs CMD with the simulated DAHDI: N spans (E1 CCS for pri, E1 CAS for r2-cn, 8-port FXO
for fxo), numbered from 1, with line conditions from the fault catalogue (LOS, LOF, AIS, RAI,
DCHANNEL_DOWN). Audio moves in real time (a block of 20 ms every 20 ms) as on a board.`,
  options: {
    spans: { type: 'integer', value: 'N', min: 1, max: 16, default: 1, description: 'spans to simulate' },
    signalling: { type: 'string', value: 'KIND', choices: ['pri', 'r2-cn', 'fxo'], default: 'pri', description: 'what kind of spans' },
    fault: { type: 'list', value: 'SPAN=NAME[+NAME]', description: 'a line condition on a span, e.g. 1=LOS or 2=AIS+RAI' },
  },
  passThrough: { name: 'CMD [ARGS...]', description: 'the program to run and its arguments', required: true },
  examples: [
    'trunkpilot sim exec --spans 2 -- dahdi_scan',
    'trunkpilot sim exec --spans 1 --fault 1=LOS -- dahdi_scan',
    'trunkpilot sim exec --signalling fxo -- dahdi_cfg -vv -c system.conf',
  ],
  exitCodes: { 0: 'CMD exited 0 (any other exit code of CMD is passed through as it is)', 1: 'CMD could not be started' },
  async run({ options, rest }, io) {
    const { simExecEnvironment, runWithSimulatedDahdi } = await import('./sim-exec');
    let env: Record<string, string>;
    try {
      env = simExecEnvironment({ spans: options.spans, signalling: options.signalling, faults: options.fault });
    } catch (err) {
      if (err instanceof InputError) throw new UsageError(err.where, err.problem);
      throw err;
    }
    const [cmd, ...args] = rest;
    return runWithSimulatedDahdi(env, cmd, args, io);
  },
});

export default defineGroup({
  name: 'sim',
  summary: 'run calls through the controller against the line simulator, or a program on the userspace DAHDI',
  subcommands: [calls, soak, exec],
});

/** The live line of a run of calls on a terminal: time, calls done of the total, share. */
function callProgress(io: CliIO, wanted: boolean): { onProgress?: (done: number, total: number) => void; done(): void } {
  if (!wanted || !io.isTTY) return { done: () => undefined };
  const line = new ProgressLine(toStdout(io));
  const started = Date.now();
  return {
    onProgress: (done, total) =>
      line.update([
        `${Math.floor((Date.now() - started) / 1000)} s`,
        `calls ${done}/${total}`,
        `${total ? Math.floor((100 * done) / total) : 100}%`,
      ]),
    done: () => line.done(),
  };
}

export function renderSummary(s: CallRunSummary, signalling: string, spans: number, modems?: number): string {
  const rows: [string, string | number][] = [
    ['signalling', signalling === 'gsm' ? `gsm x ${modems ?? 4} module(s)` : `${signalling} x ${spans} span(s)`],
    ['attempts', s.attempts],
    ['resolved', s.resolved],
    ...Object.entries(s.outcomes).map(([k, v]): [string, number] => [`  ${k}`, v]),
    [
      'causes',
      Object.entries(s.causes)
        .map(([c, n]) => `${c}:${n}`)
        .join(' '),
    ],
    ['retried after link down', s.retried],
    ['leaked channels', s.leaked_channels],
    ...(Object.keys(s.faults_injected).length
      ? [
          [
            'faults injected',
            Object.entries(s.faults_injected)
              .map(([k, n]) => `${k}:${n}`)
              .join(' '),
          ] as [string, string],
        ]
      : []),
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
  const child = spawnSync(process.execPath, [bin, 'sim', 'calls', ...argv], {
    env: { ...process.env, LD_PRELOAD: lib },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  io.stdout(child.stdout ?? '');
  io.stderr(child.stderr ?? '');
  return child.status ?? 1;
}
