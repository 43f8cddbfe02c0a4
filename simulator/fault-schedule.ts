/**
 * Faults driven from the tools: `--fault SPEC` on `sim calls` and `--faults all` on
 * `sim soak`. Each rig declares the faults it can show (SimRig.faultCatalogue: a line
 * condition that is set and later cleared, or a one-off impulse on a span or a random
 * channel), named as in the shared catalogue (simulator/fault-catalogue.ts; the
 * names --fault took before, such as glare or restart-channel, still work). A schedule fires them at a given time or at random (seeded).
 *
 * SPEC:  NAME[:span=N][@AT | ~EVERY][+FOR]
 *   NAME     a fault of the rig's catalogue (e.g. LOS, AIS, DCHANNEL_DOWN, GLARE)
 *   @AT      once, AT after the first call (e.g. @2s, @1500ms)
 *   ~EVERY   again and again, at random with EVERY between them on average
 *   +FOR     how long a condition lasts (default 2s); impulses ignore it
 *   span=N   which span (default: a random one for ~EVERY, 1 for @AT)
 * e.g. LOS@3s+5s, DCHANNEL_DOWN~10s+2s, GLARE~500ms, LOS:span=2@1s
 */
import { Clock, systemClock, TimerHandle } from '../src/core/clock';
import { InputError } from '../src/core/errors';
import { canonicalFaultName, SimFault, SimFaultName } from './fault-catalogue';
import { Rng } from './random';
import { SimRig } from './sim-rig';

export interface FaultSpec {
  name: string;
  span?: number;
  at?: number;
  everyMs?: number;
  forMs: number;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;

function durationMs(text: string, spec: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new InputError('--fault', `'${spec}': '${text}' is not a duration like 500ms or 2s`);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (ms > 7 * 24 * 3600_000) throw new InputError('--fault', `'${spec}': ${text} is too long`);
  return ms;
}

export function parseFaultSpec(spec: string): FaultSpec {
  const m = /^([A-Za-z][A-Za-z0-9_-]*)(?::span=(\d+))?(?:(@|~)(\d+(?:\.\d+)?(?:ms|s)))?(?:\+(\d+(?:\.\d+)?(?:ms|s)))?$/.exec(spec);
  if (!m) throw new InputError('--fault', `'${spec}' is not NAME[:span=N][@AT|~EVERY][+FOR] (e.g. LOS@3s+5s, GLARE~500ms)`);
  const out: FaultSpec = { name: canonicalFaultName(m[1]) ?? m[1], forMs: m[5] ? durationMs(m[5], spec) : 2000 };
  if (m[2]) out.span = Number(m[2]);
  if (m[3] === '@') out.at = durationMs(m[4], spec);
  else if (m[3] === '~') {
    out.everyMs = durationMs(m[4], spec);
    if (out.everyMs < 10) throw new InputError('--fault', `'${spec}': faults at random need at least 10ms between them on average`);
  } else out.at = 0;
  return out;
}

/** Every fault of a rig's catalogue at random, EVERY apart on average each, for the soak. */
export function allFaults(rig: SimRig, everyMs: number, forMs: number): FaultSpec[] {
  return Object.keys(rig.faultCatalogue).map((name) => ({ name, everyMs, forMs }));
}

/** Runs fault specs against a rig in its time (the wall clock unless the rig runs in virtual time); stop() clears what is still set. */
export class FaultSchedule {
  readonly injected: Record<string, number> = {};
  /** Faults the simulated network could not stage at that moment (e.g. glare on a channel it is using). */
  readonly skipped: Record<string, number> = {};
  private readonly timers = new Set<TimerHandle>();
  private readonly active = new Map<string, { name: SimFaultName; params: Record<string, unknown> }>();
  private readonly rng: Rng;
  private stopped = false;

  constructor(
    private readonly rig: SimRig,
    private readonly specs: readonly FaultSpec[],
    seed: number,
    /** The rig's clock: the wall clock, or the virtual one a soak in virtual time drives. */
    private readonly clock: Clock = systemClock,
  ) {
    this.rng = new Rng(`faults/${seed}`);
    for (const s of specs) {
      if (!Object.hasOwn(rig.faultCatalogue, s.name)) {
        throw new InputError('--fault', `this rig has no fault '${s.name}' (it has: ${Object.keys(rig.faultCatalogue).join(', ')})`);
      }
      if (s.span !== undefined && (s.span < 1 || s.span > rig.group.spans.length))
        throw new InputError('--fault', `${s.name}: no span ${s.span} (spans 1-${rig.group.spans.length})`);
      this.injected[s.name] = 0;
    }
  }

  start(): void {
    for (const s of this.specs) {
      if (s.everyMs !== undefined) this.later(this.gap(s.everyMs), () => this.fireRepeatedly(s));
      else this.later(s.at ?? 0, () => this.fire(s));
    }
  }

  /** Cancels what is scheduled and clears every condition still set. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const [key, a] of [...this.active]) this.clear(key, a.name, a.params);
  }

  private fireRepeatedly(s: FaultSpec): void {
    this.fire(s);
    this.later(this.gap(s.everyMs!), () => this.fireRepeatedly(s));
  }

  private fire(s: FaultSpec): void {
    if (this.stopped) return;
    const name = s.name as SimFaultName;
    const fault = this.rig.faultCatalogue[name] as SimFault;
    const spanNo = s.span ?? (s.everyMs !== undefined ? 1 + Math.floor(this.rng.next() * this.rig.group.spans.length) : 1);
    const params: Record<string, unknown> = { span: spanNo };
    if (fault.target === 'channel') {
      const chans = this.rig.group.spans[spanNo - 1].channels;
      const i = Math.floor(this.rng.next() * chans.length);
      params.channel = chans[i].number;
      params.line = i + 1;
    }
    if (fault.kind === 'impulse') {
      if (this.inject(name, params)) this.injected[name]++;
      return;
    }
    const key = `${name}/${JSON.stringify(params)}`;
    if (this.active.has(key)) return; // already set there: this occurrence overlaps it
    if (!this.inject(name, params)) return;
    this.injected[name]++;
    this.active.set(key, { name, params });
    this.later(s.forMs, () => this.clear(key, name, params));
  }

  /**
   * The simulated network stages the fault; one it cannot stage right now (its own
   * end of that channel is busy, say) is counted as skipped. Whatever the product
   * does wrong is not caught here: it shows in the calls and the channels.
   */
  private inject(name: SimFaultName, params: Record<string, unknown>): boolean {
    try {
      this.rig.injectFault(name, params);
      return true;
    } catch {
      this.skipped[name] = (this.skipped[name] ?? 0) + 1;
      return false;
    }
  }

  private clear(key: string, name: SimFaultName, params: Record<string, unknown>): void {
    if (!this.active.delete(key)) return;
    this.rig.injectFault(name, { ...params, clear: true });
  }

  private gap(meanMs: number): number {
    return -Math.log(1 - this.rng.next()) * meanMs;
  }

  private later(ms: number, fn: () => void): void {
    const t = this.clock.setTimer(ms, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
  }
}
