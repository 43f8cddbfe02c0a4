/**
 * The far end of a site's China No.7 span under `run --simulate`: a second E1 span of
 * the userspace DAHDI cabled to the site's, whose TS16 carries the exchange's own
 * MTP2/MTP3/ISUP or TUP (the product's stack, point codes swapped, the same CIC plan
 * the site declares), answering as the callee population says.
 */
import { DahdiDChannel } from '../../drivers/dahdi/dahdi-dchannel';
import { Clock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Logger } from '../../src/core/logger';
import { E1_SIGNALLING_TIMESLOT } from '../../src/core/timeslots';
import { SpanSlot } from '../../src/provisioning/layout';
import { no7SpanPlan } from '../../src/site/site-trunks';
import { openNo7Span } from '../../src/signalling/ss7/no7-stack';
import { SignallingEvent } from '../../src/signalling/span-signalling';
import { CalleePopulation } from '../callee-population';
import { SimSpan, SimulatedDahdi } from '../dahdi/simulated-dahdi';
import { SimulatedNo7Exchange } from '../ss7/no7-exchange';

export interface No7FarEndOptions {
  population: CalleePopulation;
  clock: Clock;
  logger: Logger;
  noAnswerMs: number;
  onOffered?: (ev: Extract<SignallingEvent, { type: 'offered' }>) => void;
}

export interface No7FarEnd {
  readonly spanno: number;
  readonly exchange: SimulatedNo7Exchange;
  /** The exchange's span (faults such as LOS are set on it). */
  readonly far: SimSpan;
  close(): Promise<void>;
}

export function buildNo7FarEnd(sim: SimulatedDahdi, ours: SimSpan, slot: SpanSlot, opts: No7FarEndOptions): No7FarEnd {
  const plan = no7SpanPlan(slot);
  if (plan.linkTs !== E1_SIGNALLING_TIMESLOT)
    throw new InputError(
      `span ${slot.spanno} ss7.linkTimeslot`,
      `--simulate carries the signalling link on TS16 only (the userspace DAHDI's HDLC channel), not TS${plan.linkTs}`,
    );
  const far = sim.addSpan('e1-ccs', { name: `TPSIM/exchange/${slot.spanno}` });
  sim.connectSpans(ours, far);
  const logger = opts.logger.child({ exchange: slot.spanno });
  const signalling = openNo7Span({
    ...plan,
    opc: plan.dpc,
    dpc: plan.opc,
    links: [{ name: `exchange ${slot.spanno} TS16`, transport: DahdiDChannel.open(far.dchannel!, { logger }), mode: plan.mode }],
    clock: opts.clock,
    logger,
  });
  const onOffered = opts.onOffered;
  if (onOffered) signalling.onEvent((ev) => ev.type === 'offered' && onOffered(ev));
  const exchange = new SimulatedNo7Exchange(signalling, {
    population: opts.population,
    clock: opts.clock,
    logger,
    noAnswerMs: opts.noAnswerMs,
    clearsUnanswered: plan.kind === 'ss7-isup',
  });
  return { spanno: slot.spanno, exchange, far, close: () => exchange.close() };
}
