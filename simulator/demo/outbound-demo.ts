import type { CampaignProgress } from '../../src/cli/campaign-progress';
import { CampaignSettings, DEFAULT_SETTINGS } from '../../src/campaign/campaign-settings';
import { ContactSource, GeneratedContacts } from '../../src/campaign/contact-list';
import { AttemptRecord, OutboundCampaign } from '../../src/campaign/outbound-campaign';
import { SimulatedVoicePlayer } from '../ports/simulated-voice-player';
import { Clock, systemClock, TimerHandle } from '../../src/core/clock';
import { Logger } from '../../src/core/logger';
import { createPacer } from '../../src/pacing/pacer-factory';
import { AnswerGroup } from '../../src/seats/answer-group';
import { SimulatedMediaBridge } from '../ports/simulated-media-bridge';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { CalleePopulation, PopulationOptions } from '../callee-population';
import { buildPriRig, PriRig } from '../pri/pri-rig';
import { Distribution, Rng, sample } from '../random';

/**
 * The quick-start job: an outbound campaign paced by the predictive pacer over
 * simulated E1 PRI spans (real libpri at both ends), with simulated agents at the
 * seats. The campaign, seats, distributor, pacer, Span and TrunkGroup are the
 * production classes on the wall clock; only the callees and agents are simulated.
 */
export interface OutboundDemoOptions {
  spans: number;
  seats: number;
  seed: number;
  durationSec: number;
  algorithm: string;
  logger: Logger;
  /** A contact list; numbers are generated when absent. */
  contacts?: ContactSource;
  /** Called once everything is built and before the campaign starts. */
  onReady?: (demo: OutboundDemo) => Promise<void>;
  signal?: AbortSignal;
  clock?: Clock;
  /** Callee behaviour (default: people answer after ~5 s and talk ~15 s). */
  population?: Partial<Omit<PopulationOptions, 'seed'>>;
  /** Agents' after-call work (default lognormal, mean 6 s). */
  wrapSec?: Distribution;
  noAnswerMs?: number;
  /** How long calls in flight may go on once calling stops (default FINISH_LIMIT_SEC). */
  finishLimitSec?: number;
}

/** What the demo reports every second: the fields every campaign's live line shows. */
export type DemoProgress = CampaignProgress & { totalSec: number };

export interface OutboundDemo {
  readonly rig: PriRig;
  readonly seats: readonly Seat[];
  readonly distributor: SeatDistributor;
  readonly campaign: OutboundCampaign;
  readonly contacts: ContactSource;
}

export interface DemoSummary {
  attempts: number;
  outcomes: Record<string, number>;
  connected: number;
  abandoned: number;
  /** Abandoned over answered-by-a-person calls that reached the 2 s rule. */
  abandonRate: number;
  /** Share of logged-in seat time spent talking. */
  occupancy: number;
  meanWaitMs: number;
  leakedChannels: number;
  seatsNotIdle: number;
  elapsedSec: number;
}

/** Demo traffic: people answer after a few seconds and talk for a while. */
const DEMO_POPULATION = {
  mix: { answer: 0.4, busy: 0.1, unallocated: 0.08, no_answer: 0.3, congestion: 0.04, absent: 0.08 },
  ringSec: { dist: 'lognormal', median: 5, sigma: 0.5 } as Distribution,
  talkSec: { dist: 'lognormal', median: 15, sigma: 0.5 } as Distribution,
};
const WRAP_SEC: Distribution = { dist: 'lognormal', mean: 6, cv: 0.5 };
/**
 * Once calling stops, calls in flight get this long to end on their own (a ring time of
 * 25 s and most conversations fit); then the agents hang up, so stopping is bounded.
 */
export const FINISH_LIMIT_SEC = 45;

export async function runOutboundDemo(opts: OutboundDemoOptions, onProgress?: (p: DemoProgress) => void): Promise<DemoSummary> {
  const clock = opts.clock ?? systemClock;
  const population = new CalleePopulation({ seed: opts.seed, ...DEMO_POPULATION, ...opts.population });
  const rig = await buildPriRig({ spans: opts.spans, seed: opts.seed, population, logger: opts.logger, noAnswerMs: opts.noAnswerMs ?? 20_000 });
  const wrapSec = opts.wrapSec ?? WRAP_SEC;
  const timers: TimerHandle[] = [];
  try {
    const seats = Array.from({ length: opts.seats }, (_, i) => new Seat(`agent${i + 1}`, { kind: 'simulated', id: `agent${i + 1}` }, { clock }));
    const rng = new Rng(`${opts.seed}/demo`);
    const voice = new SimulatedVoicePlayer({ clock, durationSec: () => 6 });
    const distributor = new SeatDistributor({
      clock,
      group: new AnswerGroup('agents', seats, 'least-recent', () => rng.next()),
      bridge: new SimulatedMediaBridge(),
      abandonAfterSec: 2,
      logger: opts.logger,
      playAbandonMessage: async (call) => {
        await voice.play({ callId: call.id, span: call.span, channel: call.channel }, { file: 'sorry-all-agents-busy.wav', plays: 1 }, call.ended);
      },
    });
    // Agents talk until the callee hangs up, then do a few seconds of after-call work.
    for (const seat of seats) {
      seat.onChange((s, e) => {
        if (e.to === 'wrap-up') timers.push(clock.setTimer(sample(wrapSec, rng) * 1000, () => s.state === 'wrap-up' && s.wrapDone('agent finished')));
      });
    }
    const settings: CampaignSettings = {
      ...DEFAULT_SETTINGS,
      name: 'demo',
      mode: 'paced',
      retryRules: {},
      ringSec: 25,
      callerIds: ['075512345678', '4008001234'],
    };
    const contacts = opts.contacts ?? new GeneratedContacts('138');
    const pacer = createPacer(opts.algorithm, { abandonTarget: settings.abandonTarget, abandonAfterSec: 2 });
    const campaign = new OutboundCampaign(settings, { clock, dialer: rig.group, contacts, voice, distributor, pacer, logger: opts.logger });
    const records: AttemptRecord[] = [];
    campaign.onEvent((ev) => ev.type === 'attempt-ended' && records.push(ev.record));
    await opts.onReady?.({ rig, seats, distributor, campaign, contacts });

    const talking = new Map<Seat, number>();
    let talkMs = 0;
    for (const seat of seats) {
      seat.onChange((s, e) => {
        if (e.to === 'talking') talking.set(s, clock.now());
        else if (talking.has(s)) {
          talkMs += clock.now() - talking.get(s)!;
          talking.delete(s);
        }
      });
      seat.login();
    }
    const started = clock.now();
    campaign.start();
    const stopAt = started + opts.durationSec * 1000;
    let finishBy: number | undefined = undefined; // set when calling stops
    const report = () => {
      const now = clock.now();
      const seatsByState: Record<string, number> = {};
      for (const s of seats) seatsByState[s.state] = (seatsByState[s.state] ?? 0) + 1;
      onProgress?.({
        elapsedSec: (now - started) / 1000,
        totalSec: opts.durationSec,
        phase: finishBy === undefined ? 'calling' : 'finishing',
        inFlight: campaign.activeCalls(),
        finishWithinSec: finishBy === undefined ? undefined : Math.max(0, (finishBy - now) / 1000),
        attempts: records.length,
        connected: records.filter((r) => r.outcome === 'connected').length,
        abandoned: records.filter((r) => r.outcome === 'abandoned').length,
        seats: seatsByState,
        channelsInUse: rig.group.totalChannels() - rig.group.idleChannels(),
      });
    };
    await new Promise<void>((resolve) => {
      const tick = () => {
        report();
        const now = clock.now();
        if (now >= stopAt || opts.signal?.aborted) return resolve();
        timers.push(clock.setTimer(Math.min(1000, stopAt - now), tick));
      };
      tick();
    });
    finishBy = clock.now() + (opts.finishLimitSec ?? FINISH_LIMIT_SEC) * 1000;
    const drained = campaign.stop();
    let finishing = true;
    const finishTick = () => {
      if (!finishing) return;
      report();
      if (clock.now() >= finishBy!) {
        // Calls still up at the limit: the agents say goodbye.
        for (const span of rig.group.spans) for (const call of span.activeCalls()) call.hangup();
        return;
      }
      timers.push(clock.setTimer(Math.min(1000, finishBy! - clock.now()), finishTick));
    };
    finishTick();
    await drained;
    finishing = false;
    await campaign.finished;
    const elapsed = clock.now() - started;
    for (const [s, since] of talking) {
      talkMs += clock.now() - since;
      talking.delete(s);
    }
    // Let the last wrap-ups finish so the seats end where they started.
    const settleBy = clock.now() + 30_000;
    while (seats.some((s) => s.state !== 'ready') && clock.now() < settleBy) await new Promise((r) => setTimeout(r, 50));
    const outcomes: Record<string, number> = {};
    for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const connected = outcomes.connected ?? 0;
    const abandoned = outcomes.abandoned ?? 0;
    const waits = records.filter((r) => r.waitMs !== undefined).map((r) => r.waitMs!);
    await new Promise((r) => setTimeout(r, 100));
    return {
      attempts: records.length,
      outcomes,
      connected,
      abandoned,
      abandonRate: connected + abandoned > 0 ? abandoned / (connected + abandoned) : 0,
      occupancy: elapsed > 0 ? talkMs / (elapsed * seats.length) : 0,
      meanWaitMs: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
      leakedChannels: rig.group.totalChannels() - rig.group.idleChannels(),
      seatsNotIdle: seats.filter((s) => s.state !== 'ready').length,
      elapsedSec: elapsed / 1000,
    };
  } finally {
    for (const t of timers) t.cancel();
    await rig.close();
  }
}
