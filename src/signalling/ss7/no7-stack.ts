import { SignallingLinkPort } from '../../../drivers/ports/signalling-link';
import { Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { IsupTimers } from './isup/isup-circuit';
import { IsupEngine } from './isup/isup-engine';
import { Mtp2ChannelMode, Mtp2HdlcLink } from './mtp2/mtp2-hdlc-link';
import { Mtp2Timers } from './mtp2/mtp2-link';
import { Mtp3Node, Mtp3Timers } from './mtp3/mtp3-node';
import { Mtp3Variant, NI_NATIONAL, SI } from './mtp3/routing-label';
import { No7SpanSignalling } from './no7-span-signalling';
import { TupTimers } from './tup/tup-circuit';
import { TupEngine } from './tup/tup-engine';

export interface No7LinkConfig {
  name: string;
  transport: SignallingLinkPort;
  mode: Mtp2ChannelMode;
}

export interface No7StackOptions {
  kind: 'ss7-isup' | 'ss7-tup';
  variant: Mtp3Variant;
  /** Network indicator (default national). */
  ni?: number;
  opc: number;
  dpc: number;
  links: readonly No7LinkConfig[];
  /** Bearer channel -> CIC. */
  circuits: ReadonlyMap<number, number>;
  clock: Clock;
  logger?: Logger;
  mtp2Timers?: Partial<Mtp2Timers>;
  mtp3Timers?: Partial<Mtp3Timers>;
  isupTimers?: Partial<IsupTimers>;
  tupTimers?: Partial<TupTimers>;
}

/** E1 bearer timeslots (TS16 carries the signalling link). */
export const E1_NO7_BEARERS: readonly number[] = Array.from({ length: 31 }, (_, i) => i + 1).filter((ts) => ts !== 16);

/** The usual China CIC plan: CIC = (E1 number << 5) | timeslot, E1 numbers from 0. */
export function chinaCicPlan(e1: number, timeslots: readonly number[] = E1_NO7_BEARERS): Map<number, number> {
  return new Map(timeslots.map((ts) => [ts, (e1 << 5) | ts]));
}

/**
 * Opens one span's No.7 stack: MTP2 on each signalling link, MTP3 with its link
 * set, the user part (ISUP or TUP) for the span's circuits, and the
 * SpanSignalling the controller drives. The simulator's exchange is built the
 * same way, with the point codes swapped.
 */
export function openNo7Span(opts: No7StackOptions): No7SpanSignalling {
  if (!opts.links.length) throw new InputError('ss7.links', 'a No.7 span needs at least one signalling link');
  const logger = rateLimitedLogger(opts.logger ?? silentLogger);
  const links = opts.links.map(
    (l) => new Mtp2HdlcLink({ name: l.name, transport: l.transport, clock: opts.clock, mode: l.mode, timers: opts.mtp2Timers, logger }),
  );
  const mtp3 = new Mtp3Node({
    variant: opts.variant,
    ni: opts.ni ?? NI_NATIONAL,
    opc: opts.opc,
    adjacent: opts.dpc,
    links,
    clock: opts.clock,
    timers: opts.mtp3Timers,
    logger,
  });
  const cics = [...opts.circuits.values()];
  const higherPointCode = opts.opc > opts.dpc;
  const userPart =
    opts.kind === 'ss7-isup'
      ? new IsupEngine({
          transport: { send: (sls, body) => mtp3.send(SI.ISUP, opts.dpc, sls, body) },
          labelOctets: opts.variant.labelOctets,
          cics,
          clock: opts.clock,
          higherPointCode,
          timers: opts.isupTimers,
          logger,
        })
      : new TupEngine({
          variant: opts.variant,
          opc: opts.opc,
          dpc: opts.dpc,
          send: (sif, sls) => mtp3.sendSif(SI.TUP, sif, sls),
          cics,
          clock: opts.clock,
          higherPointCode,
          timers: opts.tupTimers,
          logger,
        });
  const span = new No7SpanSignalling({
    kind: opts.kind,
    mtp3,
    userPart,
    dpc: opts.dpc,
    circuits: opts.circuits,
    clock: opts.clock,
    logger,
  });
  mtp3.start();
  return span;
}
