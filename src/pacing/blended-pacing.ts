import { InputError } from '../core/errors';
import { clampDial, Pacer, PacingDecision, PacingObservation, PacingSnapshot } from './pacer';
import { forecastStep, PredictiveOptions, PredictivePacer } from './predictive';
import { SeatForecast } from './seat-forecast';

const { ceil, max } = Math;

/**
 * Blended campaigns: several campaigns dial for one pool of seats. Each campaign
 * keeps its own predictive pacer (its own answer-time model, its own abandon
 * feedback and guards, so each holds its own target), but the free-seat forecast
 * is shared: answers expected from every campaign's ringing calls compete for the
 * same seats. When a campaign asks how many calls to start, the calls the pool can
 * take are handed out one at a time, each to the campaign with the fewest calls in
 * flight per unit of weight among those whose next call's marginal abandon risk is
 * still under their own threshold; the asking campaign dials its part.
 */
export interface BlendedCampaign {
  name: string;
  /** Share of the pool's calls (relative to the others'; default 1). */
  weight?: number;
  abandonTarget?: number;
}

interface Member {
  name: string;
  weight: number;
  pacer: PredictivePacer;
  /** The campaign's calls ringing at its last decision: dialled-at times (ms). */
  dialledAt: number[];
  capacity: number;
}

export class BlendedPacing {
  private readonly members = new Map<string, Member>();
  private readonly answers = new Float64Array(121);
  private readonly releases = new Float64Array(121);
  private readonly extra = new Float64Array(121);

  constructor(campaigns: BlendedCampaign[], shared: Omit<PredictiveOptions, 'abandonTarget'> = {}) {
    if (!campaigns.length) throw new InputError('blended campaigns', 'needs at least one campaign');
    for (const c of campaigns) {
      if (this.members.has(c.name)) throw new InputError(`blended campaign ${c.name}`, 'is named twice');
      const weight = c.weight ?? 1;
      if (!(weight > 0) || !Number.isFinite(weight))
        throw new InputError(`blended campaign ${c.name}.weight`, `must be a positive number, got ${c.weight}`);
      // A campaign with a share of the pool has few answers of its own an hour: its hour guard waits for 20
      // (thinner, it would starve the campaign of seats) and bites early (one abandon is a point or three).
      // No spare abandon below the cap: with the early start (40%) it cost the pool 2 points (32 seats, seeds 1-20)
      // and moved the worst campaign-hour only from 4.6% to 4.5%.
      const pacer = new PredictivePacer({
        windowGuardMinAnswered: 20,
        windowGuardFrom: 0.4,
        windowGuardSpare: 0,
        ...shared,
        abandonTarget: c.abandonTarget,
      });
      this.members.set(c.name, { name: c.name, weight, pacer, dialledAt: [], capacity: 0 });
    }
  }

  /** The pacer one campaign is given: it decides for that campaign within the shared forecast. */
  pacerFor(name: string): Pacer {
    const member = this.members.get(name);
    if (!member) throw new InputError('blended campaign', `unknown campaign '${name}' (${[...this.members.keys()].join(', ')})`);
    return {
      name: `predictive (blended: ${name})`,
      decide: (s) => this.decide(member, s),
      observe: (o: PacingObservation) => member.pacer.observe(o),
    };
  }

  private decide(asker: Member, s: PacingSnapshot): PacingDecision {
    asker.dialledAt = s.dialingAges.map((a) => s.now - a);
    asker.capacity = s.capacity;
    const members = [...this.members.values()];
    const ringing = (m: Member) => m.dialledAt.map((at) => s.now - at);
    const allRinging = members.reduce((n, m) => n + m.dialledAt.length, 0);
    // Free seats not covered by any ringing call abandon nobody: handed out first, by weight.
    const shares = members.map((m) => ({ m, added: 0, curve: new Float64Array(0), total: 0, limit: 0 }));
    let uncovered = s.readySeats - s.waitingAnswered - allRinging;
    const fairest = (eligible: (f: (typeof shares)[number]) => boolean) => {
      let best: (typeof shares)[number] | undefined;
      for (const f of shares) {
        if (f.added >= f.m.capacity || !eligible(f)) continue;
        if (!best || (f.m.dialledAt.length + f.added) / f.m.weight < (best.m.dialledAt.length + best.added) / best.m.weight) best = f;
      }
      return best;
    };
    for (; uncovered > 0; uncovered--) {
      const f = fairest(() => true);
      if (!f) break;
      f.added++;
    }
    const mine = shares.find((f) => f.m === asker)!;
    if (!members.every((m) => m.pacer.learned())) return this.launched(asker, s, mine.added, 'learning: progressive');

    const step = forecastStep(s.loggedInSeats);
    const bins = max(1, ceil(max(...members.map((m) => m.pacer.horizonMs())) / step));
    const answers = this.answers.subarray(0, bins).fill(0);
    const releases = this.releases.subarray(0, bins).fill(0);
    for (const m of members) m.pacer.addRinging(ringing(m), step, answers);
    const releasesAtStart = asker.pacer.addSeatReleases(s, step, releases);
    // The calls handed out so far, as answers expected per bin.
    const extra = this.extra.subarray(0, bins).fill(0);
    for (const f of shares) {
      f.curve = new Float64Array(bins);
      f.total = f.m.pacer.addFreshCall(step, f.curve);
      f.limit = f.m.pacer.threshold(s.now);
      for (let k = 0; k < bins; k++) extra[k] += f.added * f.curve[k];
    }
    const forecast = new SeatForecast(
      max(1, s.loggedInSeats),
      s.readySeats - s.waitingAnswered,
      releasesAtStart,
      answers,
      releases,
      shares[0].curve,
    );
    let lostNow = forecast.expectedLostWith(1, extra);
    // Then one call at a time to the campaign furthest below its weight's share of the calls in flight, while
    // that call's marginal risk is within its own threshold; when it is not, nobody dials more (the weights hold).
    for (;;) {
      const f = fairest((c) => c.total > 1e-6);
      if (!f) break;
      for (let k = 0; k < bins; k++) extra[k] += f.curve[k];
      const lost = forecast.expectedLostWith(1, extra);
      if ((lost - lostNow) / f.total > f.limit) {
        for (let k = 0; k < bins; k++) extra[k] -= f.curve[k];
        break;
      }
      f.added++;
      lostNow = lost;
    }
    return this.launched(asker, s, mine.added, `blended: ${mine.added} of ${shares.reduce((n, f) => n + f.added, 0)}`);
  }

  /** The calls the asker starts now count as ringing for the others' decisions until its next one. */
  private launched(asker: Member, s: PacingSnapshot, dial: number, note: string): PacingDecision {
    const n = clampDial(dial, s.capacity);
    for (let i = 0; i < n; i++) asker.dialledAt.push(s.now);
    return { dial: n, note };
  }
}
