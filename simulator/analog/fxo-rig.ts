import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { FxoSpanSignalling } from '../../src/signalling/fxo/fxo-span-signalling';
import { rigFaults, SimFaultName, unknownFault } from '../fault-catalogue';
import { RigOptions, SimRig } from '../sim-rig';
import { SimulatedAnalogLine, SimulatedLineOptions } from './exchange-line';
import { FreeRunningClock } from './free-running-clock';

export interface FxoRigOptions extends RigOptions {
  /** Analog lines per board (default 8). */
  linesPerSpan?: number;
  /** Lines offer polarity reversal (default true); false: answers are read from the audio. */
  polarityReversal?: boolean;
  ringTimeoutSec?: number;
  line?: Partial<Omit<SimulatedLineOptions, 'clock' | 'population' | 'seed' | 'name'>>;
}

/** Analog boards (spans of FXO lines) against a simulated exchange, in free-running virtual time. */
export class FxoRig implements SimRig {
  /** Battery loss is the analog line's link failure. */
  readonly faultCatalogue = rigFaults(['BATTERY_LOSS', 'MESSAGE_WAITING']);

  constructor(
    readonly group: TrunkGroup,
    readonly population: RigOptions['population'],
    readonly signalling: readonly FxoSpanSignalling[],
    readonly lines: readonly SimulatedAnalogLine[][],
    readonly clock: FreeRunningClock,
  ) {}

  /**
   * Faults of the catalogue on one line (params.span, params.line or
   * params.channel; default span 1 line 1): 'BATTERY_LOSS' (cleared with
   * params.clear true), 'MESSAGE_WAITING' (neon pulses).
   */
  injectFault(name: SimFaultName, params: Record<string, unknown> = {}): void {
    const line = this.line(params.span ?? 1, params.line ?? params.channel ?? 1);
    switch (name) {
      case 'BATTERY_LOSS':
        return line.setBattery(params.clear === true);
      case 'MESSAGE_WAITING':
        return line.sendMessageWaiting();
      default:
        throw unknownFault(name, Object.keys(this.faultCatalogue));
    }
  }

  async close(): Promise<void> {
    for (const s of this.signalling) await s.close();
    this.clock.stop();
  }

  private line(span: unknown, line: unknown): SimulatedAnalogLine {
    const l = this.lines[Number(span) - 1]?.[Number(line) - 1];
    if (!l) throw new InputError('fault line', `no line ${String(line)} on span ${String(span)}`);
    return l;
  }
}

export async function buildFxoRig(opts: FxoRigOptions): Promise<FxoRig> {
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 8)
    throw new InputError('--spans', `must be 1-8 analog boards, got ${opts.spans}`);
  const perSpan = opts.linesPerSpan ?? 8;
  const clock = new FreeRunningClock();
  const spans: Span[] = [];
  const signalling: FxoSpanSignalling[] = [];
  const lines: SimulatedAnalogLine[][] = [];
  for (let id = 1; id <= opts.spans; id++) {
    const logger = opts.logger.child({ span: id });
    const simLines = Array.from(
      { length: perSpan },
      (_, i) =>
        new SimulatedAnalogLine({
          clock,
          population: opts.population,
          seed: opts.seed,
          name: `s${id}l${i + 1}`,
          polarityReversal: opts.polarityReversal ?? true,
          interDigitMs: 800,
          ...(opts.line ?? {}),
        }),
    );
    const sig = new FxoSpanSignalling(simLines, {
      clock,
      logger,
      answerSupervision: (opts.polarityReversal ?? true) ? 'polarity' : 'voice',
    });
    spans.push(new Span(id, sig, { clock, logger }));
    signalling.push(sig);
    lines.push(simLines);
  }
  const group = new TrunkGroup(spans, { clock, logger: opts.logger, defaultRingTimeoutSec: opts.ringTimeoutSec });
  const rig = new FxoRig(group, opts.population, signalling, lines, clock);
  clock.start();
  if (!(await group.whenReady(5_000))) {
    await rig.close();
    throw new Error('simulated FXO lines did not come into service');
  }
  return rig;
}
