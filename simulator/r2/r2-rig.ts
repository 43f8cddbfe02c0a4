import { Clock, systemClock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { MemoryCasLink } from '../ports/memory-cas-link';
import { R2SpanSignalling } from '../../src/signalling/r2/r2-span-signalling';
import { E1_BEARERS } from '../../src/core/timeslots';
import { formatTrace } from '../../src/signalling/r2/trace';
import { R2VariantOverrides, resolveVariant } from '../../src/signalling/r2/variants';
import { rigFaults, SimFaultName, unknownFault } from '../fault-catalogue';
import { RigOptions, SimRig } from '../sim-rig';
import { SimulatedChinaExchange } from './china-exchange';
import { Rng } from '../random';
import { TrunkAudio } from '../../drivers/ports/channel-audio-port';
import { casPortTrunkAudio, joinTrunkAudio } from '../ports/memory-trunk-audio';
import { InbandAnalysingSignalling } from '../../src/signalling/inband/inband-analysing-signalling';

export interface R2RigOptions extends RigOptions {
  /** Defaults to the wall clock; tests and the benchmark pass a VirtualClock. */
  clock?: Clock;
  variant?: string;
  overrides?: R2VariantOverrides;
  /** The exchange refuses vacant/congested numbers with A5/A4 instead of KB5/KB4. */
  refuseInGroupA?: boolean;
  /** The controller's ring limit: the variant's answer timer (s). */
  ringTimeoutSec?: number;
}

/** One simulated E1 CAS span: the controller's R2 end, the timeslots, and the China No.1 exchange. */
export interface SimulatedR2Span {
  readonly id: number;
  readonly link: MemoryCasLink;
  readonly signalling: R2SpanSignalling;
  readonly exchange: SimulatedChinaExchange;
  readonly span: Span;
}

export class R2Rig implements SimRig {
  // GLARE here picks its channel (R2 has no "next call" to cross): the catalogue's span target gets one at random.
  readonly faultCatalogue = {
    ...rigFaults(['LOS', 'AIS', 'BLOCK', 'CAS_HIT']),
    GLARE: { ...rigFaults(['GLARE']).GLARE!, target: 'channel' as const },
  };
  private readonly hitRng = new Rng('cas-hits');

  constructor(
    readonly group: TrunkGroup,
    readonly population: RigOptions['population'],
    readonly spans: readonly SimulatedR2Span[],
    /** The controller's side of every timeslot's audio (with `audio`), by the controller's span id. */
    readonly trunkAudio?: TrunkAudio,
  ) {}

  /**
   * Faults of the catalogue (params.span defaults to 1): the line conditions 'LOS'
   * and 'AIS' on the whole E1, 'GLARE' (the exchange seizes params.channel, crossing
   * a seizure of ours if there is one), 'BLOCK' (the exchange blocks
   * params.channel), 'CAS_HIT' (random bits on params.channel for 1-40 ms, or
   * params.bits for params.ms). Conditions are cleared with params.clear true.
   */
  injectFault(name: SimFaultName, params: Record<string, unknown> = {}): void {
    const s = this.spans.find((x) => x.id === Number(params.span ?? 1));
    if (!s) throw new InputError('fault span', `no span ${String(params.span)} (spans 1-${this.spans.length})`);
    const on = params.clear !== true;
    if (name === 'LOS' || name === 'AIS') return s.link.lineFault(name, on);
    if (!Object.hasOwn(this.faultCatalogue, name)) throw unknownFault(name, Object.keys(this.faultCatalogue));
    const ch = Number(params.channel);
    if (!s.signalling.bearerChannels.includes(ch))
      throw new InputError(`fault ${name}`, `channel ${String(params.channel)} is not a bearer channel`);
    switch (name) {
      case 'GLARE':
        return s.exchange.originate(ch);
      case 'BLOCK':
        return on ? s.exchange.block(ch) : s.exchange.unblock(ch);
      case 'CAS_HIT':
        // Random ABCD bits for 1-40 ms unless given: bit flapping on a noisy line.
        return s.link.hit(
          ch,
          params.bits === undefined ? Math.floor(this.hitRng.next() * 16) : Number(params.bits),
          params.ms === undefined ? 1 + Math.floor(this.hitRng.next() * 40) : Number(params.ms),
        );
    }
  }

  async close(): Promise<void> {
    for (const s of this.spans) {
      await s.signalling.close();
      s.exchange.close();
      s.link.close();
    }
  }
}

/** Builds N E1 CAS spans, each against a simulated China No.1 exchange. */
export async function buildR2Rig(opts: R2RigOptions): Promise<R2Rig> {
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 8)
    throw new InputError('--spans', `must be 1-8 E1 spans, got ${opts.spans}`);
  // R2 over the userspace DAHDI is covered by hil-tests/r2-over-dahdi.test.ts; this rig has only the in-memory cable.
  if (opts.transport === 'dahdi')
    throw new InputError('--transport', 'r2-cn is simulated over the in-memory CAS link only (use --transport memory)');
  const clock = opts.clock ?? systemClock;
  const timers = { ...opts.overrides?.timers, ...(opts.ringTimeoutSec ? { answerMs: opts.ringTimeoutSec * 1000 } : {}) };
  const variant = resolveVariant(opts.variant ?? 'china', { ...opts.overrides, timers }, 'r2');
  const spans: SimulatedR2Span[] = [];
  for (let id = 1; id <= opts.spans; id++) {
    const logger = opts.logger.child({ span: id });
    const link = new MemoryCasLink({ clock, channels: E1_BEARERS, idleBits: variant.line.forward.idle });
    const trace = opts.trace;
    const signalling = new R2SpanSignalling({
      variant,
      ports: E1_BEARERS.map((c) => link.a.get(c)!),
      clock,
      logger,
      trace: trace ? (e) => trace(`span ${id} ${formatTrace(e)}`) : undefined,
      lineAlarms: link.alarmSource('a'),
    });
    const exchange = new SimulatedChinaExchange({
      variant,
      ports: E1_BEARERS.map((c) => link.b.get(c)!),
      clock,
      population: opts.population,
      logger,
      refuseInGroupA: opts.refuseInGroupA,
      noAnswerMs: opts.noAnswerMs,
      audio: opts.audio ? { seed: opts.seed, ...opts.audio } : undefined,
      earlyMediaMs: opts.audio?.earlyMediaMs,
    });
    link.alarms.b.on((inAlarm) => exchange.lineAlarm(inAlarm));
    const listened = opts.audio?.analysis
      ? new InbandAnalysingSignalling(signalling, {
          span: id,
          audio: casPortTrunkAudio(
            id,
            E1_BEARERS.map((c) => link.a.get(c)!),
          ),
          clock,
          logger,
          ...opts.audio.analysis,
        })
      : signalling;
    const span = new Span(id, listened, { clock, logger });
    spans.push({ id, link, signalling, exchange, span });
  }
  const group = new TrunkGroup(
    spans.map((s) => s.span),
    { clock, logger: opts.logger, defaultRingTimeoutSec: opts.ringTimeoutSec },
  );
  const trunkAudio = opts.audio
    ? joinTrunkAudio(
        spans.map((s) =>
          casPortTrunkAudio(
            s.id,
            E1_BEARERS.map((c) => s.link.a.get(c)!),
          ),
        ),
      )
    : undefined;
  const rig = new R2Rig(group, opts.population, spans, trunkAudio);
  // On a virtual clock the caller drives time (and waits for readiness with runVirtual).
  if (clock === systemClock && !(await group.whenReady(5000))) {
    await rig.close();
    throw new Error('simulated R2 spans did not come into service within 5 s');
  }
  return rig;
}
