/**
 * The far end of a site's China No.1 (r2-cn) span under `run --simulate`: a second
 * E1 CAS span of the userspace DAHDI cabled to the site's, one CAS port per bearer
 * timeslot the site declares (ABCD bits and A-law through the DAHDI driver), and a
 * China No.1 exchange on them (the project's R2 engine in the backward role, the
 * span's own variant and overrides) answering as the callee population says and,
 * with `simulation.callees.audio`, playing the callee's audio on the timeslot.
 */
import { DahdiCasPort } from '../../drivers/dahdi/dahdi-cas-port';
import { Clock } from '../../src/core/clock';
import { Logger } from '../../src/core/logger';
import { dahdiChannelNumber } from '../../src/core/timeslots';
import { SpanSlot } from '../../src/provisioning/layout';
import { expandRanges } from '../../src/provisioning/ranges';
import { r2VariantForSpan } from '../../src/site/r2-site-variant';
import { CalleePopulation } from '../callee-population';
import { SimSpan, SimulatedDahdi } from '../dahdi/simulated-dahdi';
import { SimulatedChinaExchange } from '../r2/china-exchange';

export interface R2FarEndOptions {
  population: CalleePopulation;
  clock: Clock;
  logger: Logger;
  noAnswerMs: number;
  /** The site's simulation.callees.audio (and its seed): callee audio on the bearers. */
  audio?: { seed: number | string; musicShare?: number; machineShare?: number; earlyMediaSec?: number };
  onOffered?: (number: string) => void;
}

export interface R2FarEnd {
  readonly spanno: number;
  readonly exchange: SimulatedChinaExchange;
  /** The exchange's span. */
  readonly far: SimSpan;
  close(): Promise<void>;
}

export function buildR2FarEnd(sim: SimulatedDahdi, ours: SimSpan, slot: SpanSlot, opts: R2FarEndOptions): R2FarEnd {
  const variant = r2VariantForSpan(slot.config!.r2, `span ${slot.spanno}`);
  const far = sim.addSpan('e1-cas', { name: `TPSIM/exchange/${slot.spanno}` });
  sim.connectSpans(ours, far);
  const logger = opts.logger.child({ exchange: slot.spanno });
  // The same timeslots the gateway opens on its side (dahdiChannelNumber from the far span's first channel).
  const ports: DahdiCasPort[] = [];
  try {
    for (const ts of expandRanges(slot.config!.bearer ?? ''))
      ports.push(DahdiCasPort.open(dahdiChannelNumber(far.channels[0], ts), ts, variant.line.backward.idle, { logger }));
  } catch (err) {
    for (const p of ports) p.close();
    throw err;
  }
  const audio = opts.audio;
  const exchange = new SimulatedChinaExchange({
    variant,
    ports,
    clock: opts.clock,
    population: opts.population,
    logger,
    noAnswerMs: opts.noAnswerMs,
    audio: audio && { seed: audio.seed, musicShare: audio.musicShare, machineShare: audio.machineShare },
    earlyMediaMs: audio ? (audio.earlyMediaSec ?? 0) * 1000 : undefined,
  });
  const onOffered = opts.onOffered;
  if (onOffered) for (const ch of exchange.channels.values()) ch.on((ev) => ev.type === 'offered' && onOffered(ev.call.dnis));
  return {
    spanno: slot.spanno,
    exchange,
    far,
    close: async () => {
      exchange.close();
      for (const p of ports) p.close();
    },
  };
}
