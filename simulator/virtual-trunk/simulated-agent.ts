import { Clock, TimerHandle } from '../../src/core/clock';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { Distribution, Rng, sample } from '../random';
import { VirtualNetwork } from './virtual-network';

/**
 * A simulated agent at a seat: when a call is bridged it listens (asks the network
 * what is on the line, as a person would hear it), talks to a person for the
 * callee's talk time or drops a machine after `machineAgentSec`, hangs up, does
 * its after-call work and becomes ready again.
 */
export interface SimulatedAgentOptions {
  clock: Clock;
  /** Who is on a line (one network, or several side by side). */
  network: Pick<VirtualNetwork, 'truthOn'>;
  distributor: SeatDistributor;
  wrapSec: Distribution;
  machineAgentSec: number;
  /** Seeds the wrap-up times; the n-th wrap-up of the run is the same whatever the pacer. */
  seed: number | string;
}

export class SimulatedAgents {
  private wraps = 0;
  private readonly timers = new Map<Seat, TimerHandle>();

  constructor(private readonly opts: SimulatedAgentOptions) {
    for (const seat of opts.distributor.group.seats) seat.onChange((s, e) => this.onChange(s, e.to));
  }

  private onChange(seat: Seat, to: string): void {
    this.timers.get(seat)?.cancel();
    this.timers.delete(seat);
    const { clock, distributor, network } = this.opts;
    if (to === 'talking') {
      const live = distributor.liveCall(seat.id);
      const truth = live ? network.truthOn(live.call.span, live.call.channel) : undefined;
      const ms = truth?.kind === 'human' ? truth.talkMs : this.opts.machineAgentSec * 1000;
      this.timers.set(
        seat,
        clock.setTimer(ms, () => distributor.hangupFromSeat(seat.id)),
      );
    } else if (to === 'wrap-up') {
      const rng = new Rng(`${this.opts.seed}/wrap/${this.wraps++}`);
      const ms = sample(this.opts.wrapSec, rng) * 1000;
      this.timers.set(
        seat,
        clock.setTimer(ms, () => seat.wrapDone('agent finished')),
      );
    }
  }
}
