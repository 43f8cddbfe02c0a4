import { Clock, TimerHandle } from '../../src/core/clock';
import { Logger, silentLogger } from '../../src/core/logger';
import { Q850 } from '../../src/core/q850';
import { CasPort } from '../../drivers/ports/cas-port';
import { DeadlineFeeder } from '../../src/signalling/r2/deadline-feeder';
import { R2Channel } from '../../src/signalling/r2/r2-channel';
import { CalledLineStatus } from '../../src/signalling/r2/register-backward';
import { R2Variant } from '../../src/signalling/r2/variants';
import { CalleeBehaviour, CalleePopulation } from '../callee-population';

export interface ChinaExchangeOptions {
  variant: R2Variant;
  ports: readonly CasPort[];
  clock: Clock;
  population: CalleePopulation;
  logger?: Logger;
  /** Refuse vacant and congested numbers in group A (A5/A4) rather than group B (KB5/KB4). */
  refuseInGroupA?: boolean;
  /** How long an unanswered call rings before the exchange releases it (ms); default: until the caller gives up. */
  noAnswerMs?: number;
}

/** Group B answer for what the callee does. China No.1 has no "absent" signal: the exchange says congestion. */
const STATUS: Record<CalleeBehaviour['kind'], CalledLineStatus> = {
  answer: 'idle',
  no_answer: 'idle',
  busy: 'busy',
  unallocated: 'vacant',
  congestion: 'congestion',
  absent: 'congestion',
};

/**
 * A China No.1 exchange on the far side of simulated E1 CAS spans: the project's
 * R2 engine in the backward role in front of the callee population, and on
 * demand a misbehaving one (glare, blocked circuits, a circuit that never
 * acknowledges a seizure).
 */
export class SimulatedChinaExchange {
  readonly channels = new Map<number, R2Channel>();
  private readonly feeder: DeadlineFeeder;
  private readonly timers = new Map<number, TimerHandle[]>();
  private readonly behaviour = new Map<number, CalleeBehaviour>();
  /** How long the callee on a channel talks once the answer is on the line. */
  private readonly talkMs = new Map<number, number>();
  private readonly logger: Logger;
  readonly stats = { offered: 0, answered: 0, glares: 0, refused: 0 };

  constructor(private readonly opts: ChinaExchangeOptions) {
    this.logger = (opts.logger ?? silentLogger).child({ side: 'exchange' });
    this.feeder = new DeadlineFeeder(opts.clock);
    for (const port of opts.ports) {
      const ch = new R2Channel({
        variant: opts.variant,
        port,
        now: () => opts.clock.now(),
        onDeadlineChanged: (c) => this.feeder.changed(c),
        // The exchange keeps its seizure on glare; the controller's end yields.
        glare: 'hold',
        numberComplete: opts.refuseInGroupA ? (dnis) => this.groupAVerdict(port.channel, dnis) : undefined,
      });
      ch.on((ev) => {
        switch (ev.type) {
          case 'offered':
            return this.onOffered(ch, ev.call.dnis);
          case 'answered': {
            // The call is talking from the moment the answer is on the line (after the register
            // and the answer delay), not from when the callee picked up: a quick answer still talks its time.
            const talkMs = this.talkMs.get(ch.channel);
            this.talkMs.delete(ch.channel);
            if (talkMs !== undefined) this.after(ch.channel, talkMs, () => ch.hangup(Q850.NORMAL_CLEARING));
            return;
          }
          case 'released':
            return this.drop(ch.channel);
          case 'fault':
            this.logger.debug('r2 fault at the exchange', { channel: ch.channel, fault: ev.error.fault });
            return;
          default:
            return;
        }
      });
      this.channels.set(port.channel, ch);
      this.feeder.add(ch);
    }
  }

  /** Seizes a circuit towards the controller (an incoming call for it; crossing its seizure = glare). */
  originate(channel: number, dnis = '4000', ani = '075500000000'): void {
    this.stats.glares++;
    this.channels.get(channel)?.seize(dnis, ani);
  }

  /** The E1 failed or came back (the exchange sees RAI or its own LOS): its circuits drop their calls, then return idle. */
  lineAlarm(inAlarm: boolean): void {
    for (const ch of this.channels.values()) ch.lineAlarm(inAlarm);
  }

  block(channel: number): void {
    this.channels.get(channel)?.block();
  }

  unblock(channel: number): void {
    this.channels.get(channel)?.unblock();
  }

  close(): void {
    this.feeder.close();
    for (const ch of this.timers.keys()) this.drop(ch);
  }

  private groupAVerdict(channel: number, dnis: string): 'continue' | 'vacant' | 'congestion' {
    const b = this.opts.population.decide(dnis);
    this.behaviour.set(channel, b);
    if (b.kind === 'unallocated') return 'vacant';
    if (b.kind === 'congestion') return 'congestion';
    return 'continue';
  }

  private onOffered(ch: R2Channel, dnis: string): void {
    this.stats.offered++;
    const b = this.behaviour.get(ch.channel) ?? this.opts.population.decide(dnis);
    this.behaviour.delete(ch.channel);
    const status = STATUS[b.kind];
    if (status !== 'idle') this.stats.refused++;
    ch.decide(status);
    if (b.kind === 'no_answer' && this.opts.noAnswerMs !== undefined) {
      this.after(ch.channel, this.opts.noAnswerMs, () => ch.hangup(Q850.NO_ANSWER));
    }
    if (b.kind !== 'answer') return;
    this.after(ch.channel, b.ringMs, () => {
      this.stats.answered++;
      this.talkMs.set(ch.channel, b.talkMs);
      ch.answer();
    });
  }

  private after(channel: number, ms: number, fn: () => void): void {
    const list = this.timers.get(channel) ?? [];
    list.push(this.opts.clock.setTimer(ms, fn));
    this.timers.set(channel, list);
  }

  private drop(channel: number): void {
    for (const t of this.timers.get(channel) ?? []) t.cancel();
    this.timers.delete(channel);
    this.behaviour.delete(channel);
    this.talkMs.delete(channel);
  }
}
