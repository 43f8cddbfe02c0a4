/**
 * The faults a site's `simulation.faults:` stages during `run --simulate`: a module
 * unplugged, a SIM pulled, a span losing its signal. Each is timed from the first
 * call the simulated network sees (so a campaign started a while after the gateway
 * still meets it mid-run), may wait until its target carries a call (to end that
 * call under the fault), and lasts `forSec` or until the run ends.
 */
import { Clock, TimerHandle } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Logger } from '../../src/core/logger';
import { SiteSimulationFault } from '../../src/provisioning/site-types';

/** Something a fault can be set on: a module or a span. */
export interface FaultTarget {
  /** Throws InputError for a fault this target cannot show. */
  check(fault: string): void;
  set(fault: string): void;
  clear(fault: string): void;
  carriesCall(): boolean;
  /** The numbers of the calls it carries (said in the log when the fault is set: those are the calls it cuts). */
  callNumbers?(): string[];
}

export interface StagedFault {
  fault: string;
  target: string;
  /** ms after the first call, when it was set (undefined while pending). */
  setAtMs?: number;
}

export class SiteFaultPlan {
  readonly staged: StagedFault[] = [];
  private readonly timers = new Set<TimerHandle>();
  private readonly active: { target: FaultTarget; fault: string }[] = [];
  private started?: number;
  private stopped = false;

  constructor(
    private readonly faults: readonly SiteSimulationFault[],
    private readonly resolve: (f: SiteSimulationFault, where: string) => { name: string; target: FaultTarget },
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    // Every fault names a target that exists and a fault it can show, before anything runs.
    faults.forEach((f, i) => {
      const { name, target } = resolve(f, `simulation.faults[${i}]`);
      target.check(f.fault);
      this.staged.push({ fault: f.fault, target: name });
    });
  }

  /** The simulated network saw a call: the first one starts the plan. */
  callSeen(): void {
    if (this.started !== undefined || this.stopped) return;
    this.started = this.clock.now();
    this.faults.forEach((f, i) => this.later((f.atSec ?? 0) * 1000, () => this.fire(f, i)));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const a of this.active.splice(0)) a.target.clear(a.fault);
  }

  private fire(f: SiteSimulationFault, i: number): void {
    const { name, target } = this.resolve(f, `simulation.faults[${i}]`);
    // Waits (checking every 20 ms) for the target to carry a call, when asked to fault one mid-call.
    if (f.duringCall && !target.carriesCall()) return this.later(20, () => this.fire(f, i));
    const calls = target.callNumbers?.() ?? [];
    target.set(f.fault);
    this.staged[i].setAtMs = this.clock.now() - this.started!;
    this.logger.warn('simulated fault set', { fault: f.fault, target: name, forSec: f.forSec ?? 'until the end', calls });
    const entry = { target, fault: f.fault };
    this.active.push(entry);
    if (f.forSec !== undefined)
      this.later(f.forSec * 1000, () => {
        const at = this.active.indexOf(entry);
        if (at < 0) return;
        this.active.splice(at, 1);
        target.clear(f.fault);
        this.logger.warn('simulated fault cleared', { fault: f.fault, target: name });
      });
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = this.clock.setTimer(ms, () => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    });
    this.timers.add(t);
  }
}

/** Where a fault goes, by the keys the site gives it. */
export function faultTargetName(f: SiteSimulationFault, where: string): string {
  if ((f.modem === undefined) === (f.span === undefined))
    throw new InputError(where, `a fault names either a modem (modem: ID) or a span (span: N), not ${f.modem ? 'both' : 'neither'}`);
  return f.modem !== undefined ? `modem ${f.modem}` : `span ${f.span}`;
}
