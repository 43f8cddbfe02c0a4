import { Clock, TimerHandle } from '../../src/core/clock';
import { Logger, silentLogger } from '../../src/core/logger';
import { NetworkOriginatedCall, SimulatedPriNetwork } from '../pri/pri-network';
import { Distribution, Rng, sample } from '../random';

/**
 * Customers calling the site, for `trunkpilot run --simulate` (the site's
 * `simulation.inbound`): calls arrive at random (Poisson, `callsPerHour`) on the
 * PRI exchanges towards the number the site publishes. A share of the callers are
 * customers the campaigns called (numbers the exchange was offered), calling back;
 * the rest are new numbers. A caller talks for a drawn time once answered, and
 * gives up after `patienceSec` of waiting unanswered.
 */
export interface InboundCallersSettings {
  callsPerHour: number;
  /** The number they dial. */
  called: string;
  /** Of the callers, the share who are customers a campaign called (0-1, default 0.5). */
  callbackShare?: number;
  talkSec: Distribution;
  /** How long a caller waits unanswered before hanging up (default 60 s). */
  patienceSec?: number;
}

export class SimulatedInboundCallers {
  private timer: TimerHandle | undefined;
  private readonly live = new Set<NetworkOriginatedCall>();
  private seq = 0;
  readonly stats = { placed: 0, callbacks: 0, answered: 0, gaveUp: 0, refused: 0 };
  private readonly logger: Logger;

  constructor(
    private readonly networks: readonly SimulatedPriNetwork[],
    private readonly settings: InboundCallersSettings,
    private readonly clock: Clock,
    private readonly rng: Rng,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
  }

  start(): void {
    if (this.settings.callsPerHour > 0 && this.networks.length) this.scheduleNext();
  }

  /** No new callers; those on the line finish their talk. */
  stopArrivals(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** No new callers, and those on the line hang up. */
  stop(): void {
    this.stopArrivals();
    for (const call of this.live) call.hangup();
    this.live.clear();
  }

  private scheduleNext(): void {
    const meanMs = 3_600_000 / this.settings.callsPerHour;
    const gapMs = -Math.log(1 - this.rng.next()) * meanMs;
    this.timer = this.clock.setTimer(gapMs, () => {
      this.placeOne();
      this.scheduleNext();
    });
  }

  private placeOne(): void {
    const network = this.networks[Math.floor(this.rng.next() * this.networks.length)];
    const known = network.offers.filter((o) => o.number);
    const callback = known.length > 0 && this.rng.next() < (this.settings.callbackShare ?? 0.5);
    const caller = callback ? known[Math.floor(this.rng.next() * known.length)].number : `139${String(10_000_000 + ++this.seq).slice(-8)}`;
    let call: NetworkOriginatedCall;
    try {
      call = network.originate(this.settings.called, caller);
    } catch (err) {
      // Every B-channel busy: the exchange would give this caller congestion.
      this.stats.refused++;
      this.logger.debug('simulated caller found no free channel', { err: String(err) });
      return;
    }
    this.stats.placed++;
    if (callback) this.stats.callbacks++;
    this.live.add(call);
    const patience = this.clock.setTimer((this.settings.patienceSec ?? 60) * 1000, () => {
      this.stats.gaveUp++;
      call.hangup();
    });
    void call.answered.then(() => {
      patience.cancel();
      this.stats.answered++;
      const talk = this.clock.setTimer(Math.max(1, sample(this.settings.talkSec, this.rng)) * 1000, () => call.hangup());
      void call.released.then(() => talk.cancel());
    });
    void call.released.then(() => {
      patience.cancel();
      this.live.delete(call);
    });
  }
}
