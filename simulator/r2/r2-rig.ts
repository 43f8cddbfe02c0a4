import { Clock, systemClock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { MemoryCasLink } from '../ports/memory-cas-link';
import { R2SpanSignalling } from '../../src/signalling/r2/r2-span-signalling';
import { E1_BEARERS } from '../../src/core/timeslots';
import { formatTrace } from '../../src/signalling/r2/trace';
import { R2VariantOverrides, resolveVariant } from '../../src/signalling/r2/variants';
import type { RigFault } from '../fault-schedule';
import { RigOptions, SimRig } from '../sim-rig';
import { SimulatedChinaExchange } from './china-exchange';
import { Rng } from '../random';
import { TrunkAudio } from '../../drivers/ports/trunk-audio-port';
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
  readonly faultCatalogue: Readonly<Record<string, RigFault>> = {
    block: { kind: 'condition', set: 'block', clear: 'unblock', target: 'channel' },
    glare: { kind: 'impulse', inject: 'glare', target: 'channel' },
    'cas-hit': { kind: 'impulse', inject: 'cas-hit', target: 'channel' },
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
   * Faults by name (params.span defaults to 1): 'glare' (the exchange seizes
   * params.channel, crossing a seizure of ours if there is one), 'block' and
   * 'unblock' (the exchange blocks params.channel), 'mute' (the exchange's end of
   * params.channel stops answering seizures: its engine is blocked locally without
   * telling us, so our seizure is never acknowledged).
   */
  injectFault(name: string, params: Record<string, unknown> = {}): void {
    const s = this.spans.find((x) => x.id === Number(params.span ?? 1));
    if (!s) throw new InputError('fault span', `no span ${String(params.span)} (spans 1-${this.spans.length})`);
    const ch = Number(params.channel);
    if (!s.signalling.bearerChannels.includes(ch))
      throw new InputError(`fault ${name}`, `channel ${String(params.channel)} is not a bearer channel`);
    switch (name) {
      case 'glare':
        return s.exchange.originate(ch);
      case 'block':
        return s.exchange.block(ch);
      case 'unblock':
        return s.exchange.unblock(ch);
      case 'cas-hit':
        // Random ABCD bits for 1-40 ms unless given: bit flapping on a noisy line.
        return s.link.hit(
          ch,
          params.bits === undefined ? Math.floor(this.hitRng.next() * 16) : Number(params.bits),
          params.ms === undefined ? 1 + Math.floor(this.hitRng.next() * 40) : Number(params.ms),
        );
      default:
        throw new InputError('fault', `unknown fault '${name}' (glare, block, unblock, cas-hit)`);
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
