import { CallOutcome } from '../src/core/q850';
import { Logger } from '../src/core/logger';
import { CalleePopulation, PopulationOptions } from './callee-population';
import { Rng } from './random';
import { SIM_RIGS } from './rigs';
import { SimRig } from './sim-rig';
import { InputError } from '../src/core/errors';
import { allFaults, FaultSchedule, FaultSpec } from './fault-schedule';
import { Clock, systemClock, VirtualClock } from '../src/core/clock';
import { runVirtual } from './r2/virtual-time';
import { SeatPool, SeatPoolFigures } from './soak-seats';

/**
 * Rigs that run whole in virtual time (libpri included, through its time hook; the R2
 * engines and the No.7 stack are fed time by the rig's clock): a run
 * on them goes as fast as the machine allows instead of at the wall clock's pace.
 */
export const VIRTUAL_TIME_RIGS: readonly string[] = ['pri', 'r2-cn', 'ss7-isup', 'ss7-tup'];

export interface CallRunOptions {
  signalling: string;
  spans: number;
  /** GSM/LTE modules for --signalling gsm. */
  modems?: number;
  calls: number;
  /** Calls in flight at once (default: every channel). */
  concurrency?: number;
  seed: number;
  pcapFile?: string;
  /** Signalling variant where the kind has several (No.7: china, itu). */
  variant?: string;
  ringTimeoutSec?: number;
  transport?: 'memory' | 'dahdi';
  /** The simulated exchange's no-answer timer (ms); default 1 s so a run takes seconds, not hours. */
  noAnswerMs?: number;
  logger: Logger;
  /** One line per signalling step, where the rig can say them (`--trace`). */
  trace?: (line: string) => void;
  population?: Partial<PopulationOptions>;
  onProgress?: (done: number, total: number, rig: SimRig) => void;
  /** Called once the rig is up, before the first call (e.g. to start telemetry on it). */
  onRig?: (rig: SimRig) => Promise<void>;
  /** Stops placing new calls; calls in flight finish and are counted. */
  signal?: AbortSignal;
  /** Faults to drive while the calls run (`--fault SPEC`, `--faults all`). */
  faults?: readonly FaultSpec[] | 'all';
  /** Mean time between faults of each kind for 'all' (default 3 s), and how long a condition lasts (default 1 s). */
  allFaults?: { everyMs: number; forMs: number };
  /**
   * A number whose dial found the link down or no free channel is tried again after
   * a back-off (doubling from backoffMs, at most 2 s), up to `tries` times, instead of
   * being written off at once (default 8 tries from 50 ms).
   */
  retry?: { tries: number; backoffMs: number };
  /**
   * Run the rig, the faults and the callers on a virtual clock, as fast as they go
   * (only on VIRTUAL_TIME_RIGS). calls_per_sec stays per wall-clock second.
   */
  virtualTime?: boolean;
  /**
   * Answered calls are handed to this many seats (the product's seat distributor, with
   * simulated agents who talk, hang up and wrap up) instead of only talking to the callee.
   */
  seats?: number;
}

/** The JSON contract of `trunkpilot sim calls --json`. */
export interface CallRunSummary {
  /** Dials placed (a number retried after link down counts each time). */
  attempts: number;
  /** Numbers that reached a final outcome (the sum of `outcomes`). */
  resolved: number;
  outcomes: Record<
    'answered' | 'busy' | 'unallocated' | 'no_answer' | 'congestion' | 'absent' | 'link_down' | 'no_free_channel' | 'other',
    number
  >;
  causes: Record<string, number>;
  /** Dials that found the link down or no free channel and were tried again later. */
  retried: number;
  leaked_channels: number;
  faults_injected: Record<string, number>;
  elapsed_ms: number;
  calls_per_sec: number;
  rss_start_mb: number;
  rss_end_mb: number;
  /** With `seats`: what became of the calls handed to seats, and seats left not ready at the end. */
  seats?: SeatPoolFigures;
}

const REPORTED = ['answered', 'busy', 'unallocated', 'no_answer', 'congestion', 'absent', 'link_down', 'no_free_channel'] as const;
const RETRIED: readonly CallOutcome[] = ['link_down', 'no_free_channel'];

/** A China mobile number drawn from the run's seed. */
function mobileNumber(rng: Rng): string {
  const prefixes = ['130', '135', '138', '139', '150', '186', '188'];
  let n = prefixes[Math.floor(rng.next() * prefixes.length)];
  for (let i = 0; i < 8; i++) n += Math.floor(rng.next() * 10);
  return n;
}

/**
 * Runs `calls` calls through the controller against a simulated network and
 * counts what became of them. Answered calls last as long as the callee talks
 * (the callee hangs up); every channel must be idle again at the end.
 */
export async function runSimulatedCalls(opts: CallRunOptions): Promise<CallRunSummary> {
  const load = SIM_RIGS[opts.signalling];
  if (!load)
    throw new InputError('--signalling', `'${opts.signalling}' is not simulated here (available: ${Object.keys(SIM_RIGS).join(', ')})`);
  if (!Number.isInteger(opts.calls) || opts.calls < 0) throw new InputError('--calls', `must be a whole number >= 0, got ${opts.calls}`);
  if (opts.virtualTime && !VIRTUAL_TIME_RIGS.includes(opts.signalling))
    throw new InputError(
      '--virtual-time',
      `'${opts.signalling}' runs on the wall clock only (virtual time: ${VIRTUAL_TIME_RIGS.join(', ')})`,
    );
  if (opts.virtualTime && opts.transport === 'dahdi')
    throw new InputError('--virtual-time', 'the userspace DAHDI transport runs on the wall clock only');
  // 2030-01-01: virtual time far from the wall clock's, so a mix-up cannot pass unseen.
  const virtual = opts.virtualTime ? new VirtualClock(Date.UTC(2030, 0, 1)) : undefined;
  const population = new CalleePopulation({ seed: opts.seed, ...opts.population });
  // Simulated time is compressed: callees ring and talk for fractions of a second by default.
  const rig = await (
    await load()
  )({
    spans: opts.spans,
    modems: opts.modems,
    seed: opts.seed,
    population,
    logger: opts.logger,
    pcapFile: opts.pcapFile,
    variant: opts.variant,
    transport: opts.transport,
    noAnswerMs: opts.noAnswerMs ?? 1000,
    trace: opts.trace,
    clock: virtual,
  });
  // The run's time: the virtual clock we drive, or the rig's own (free-running) one, or the wall clock.
  const clock: Clock = virtual ?? rig.clock ?? systemClock;
  /** Runs work to its end: at once on the wall clock, or driving the virtual clock as fast as it goes. */
  const drive = <T>(work: Promise<T>): Promise<T> =>
    virtual ? runVirtual(virtual, work, Number.MAX_SAFE_INTEGER, () => rig.framesInFlight?.() ?? false) : work;
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(ms, () => r()));
  try {
    if (virtual && !(await drive(rig.group.whenReady(15_000))))
      throw new Error('the simulated spans did not come into service within 15 s');
    if (virtual && rig.settled) {
      const until = virtual.now() + 5_000;
      await drive(
        (async () => {
          while (!rig.settled!() && virtual.now() < until) await sleep(10);
        })(),
      );
    }
    await opts.onRig?.(rig);
  } catch (err) {
    await rig.close();
    throw err;
  }
  const concurrency = Math.max(1, opts.concurrency ?? rig.group.totalChannels());
  const rng = new Rng(`numbers/${opts.seed}`);
  const numbers = Array.from({ length: opts.calls }, () => mobileNumber(rng));
  const outcomes = Object.fromEntries([...REPORTED, 'other'].map((k) => [k, 0])) as CallRunSummary['outcomes'];
  const causes: Record<string, number> = {};
  const retry = opts.retry ?? { tries: 8, backoffMs: 50 };
  let next = 0;
  let done = 0;
  let attempts = 0;
  let retried = 0;
  let schedule: FaultSchedule | undefined;
  const seats = opts.seats ? new SeatPool({ clock, seats: opts.seats, seed: opts.seed, logger: opts.logger }) : undefined;
  const rssStart = process.memoryUsage().rss;
  const started = Date.now();
  try {
    const specs =
      opts.faults === 'all' ? allFaults(rig, opts.allFaults?.everyMs ?? 3000, opts.allFaults?.forMs ?? 1000) : (opts.faults ?? []);
    if (specs.length) {
      schedule = new FaultSchedule(rig, specs, opts.seed, clock);
      schedule.start();
    }
    const worker = async () => {
      while (next < numbers.length && !opts.signal?.aborted) {
        const number = numbers[next++];
        let result;
        for (let tryNo = 1; ; tryNo++) {
          attempts++;
          result = await rig.group.dial({ number, ringTimeoutSec: opts.ringTimeoutSec });
          // The line is down or full: this number is not at fault, so it waits and goes again.
          if (!RETRIED.includes(result.outcome) || tryNo >= retry.tries || opts.signal?.aborted) break;
          retried++;
          await sleep(Math.min(2000, retry.backoffMs * 2 ** (tryNo - 1)));
        }
        let cause = result.cause;
        if (result.call) {
          // The callee (or the seat's agent) hangs up after talking; a stuck call is cut after 30 s.
          seats?.take(result.call);
          const guard = clock.setTimer(30_000, () => result.call!.hangup());
          cause = (await result.call.ended).cause;
          guard.cancel();
        }
        const key: CallOutcome = result.outcome;
        if ((REPORTED as readonly string[]).includes(key)) outcomes[key as (typeof REPORTED)[number]]++;
        else outcomes.other++;
        causes[String(cause)] = (causes[String(cause)] ?? 0) + 1;
        done++;
        opts.onProgress?.(done, numbers.length, rig);
      }
    };
    await drive(Promise.all(Array.from({ length: Math.min(concurrency, numbers.length || 1) }, worker)));
    const elapsed = Date.now() - started;
    schedule?.stop();
    // Clearing finishes a moment after the last result (and after the last fault clears,
    // once the channels are restarted): give it a bounded while.
    // In virtual time the wait costs little, so it covers the slowest recovery a rig has
    // (a GSM module out of service is retried after 60 s); on the wall clock, 10 s.
    const deadline = clock.now() + (clock === systemClock ? 10_000 : 90_000);
    await drive(
      (async () => {
        while (
          clock.now() < deadline &&
          (rig.group.spans.some((s) => s.idleCount() !== s.channels.length) || (seats && seats.notReady().length > 0))
        )
          await sleep(10);
      })(),
    );
    const leaked = rig.group.spans.reduce((n, s) => n + (s.channels.length - s.idleCount()), 0);
    if (leaked)
      opts.logger.warn('channels not idle at the end of the run', {
        channels: rig.group.spans.flatMap((s) =>
          s.channels
            .filter((c) => c.state !== 'idle' || !s.linkUp)
            .map((c) => `${s.id}/${c.number} ${c.state}${c.owner ? ` call ${c.owner}` : ''}`),
        ),
        linkUp: rig.group.spans.map((s) => s.linkUp),
      });
    const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
    return {
      attempts,
      resolved: done,
      outcomes,
      causes,
      retried,
      leaked_channels: leaked,
      faults_injected: { ...schedule?.injected },
      elapsed_ms: elapsed,
      calls_per_sec: elapsed > 0 ? Math.round((done / elapsed) * 1000 * 10) / 10 : 0,
      rss_start_mb: mb(rssStart),
      rss_end_mb: mb(process.memoryUsage().rss),
      ...(seats ? { seats: seats.report() } : {}),
    };
  } finally {
    schedule?.stop();
    seats?.close();
    await rig.close();
  }
}
