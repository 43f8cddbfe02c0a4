import { CampaignSettings, DEFAULT_SETTINGS } from '../../src/campaign/campaign-settings';
import { GeneratedContacts } from '../../src/campaign/contact-list';
import { OutboundCampaign } from '../../src/campaign/outbound-campaign';
import { VirtualClock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { BlendedPacing } from '../../src/pacing/blended-pacing';
import { Pacer } from '../../src/pacing/pacer';
import { createPacer } from '../../src/pacing/pacer-factory';
import { AnswerGroup } from '../../src/seats/answer-group';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { SimulatedMediaBridge } from '../ports/simulated-media-bridge';
import { SimulatedVoicePlayer } from '../ports/simulated-voice-player';
import { Rng } from '../random';
import { PacingMetrics } from './pacing-metrics';
import { parseScenario, Scenario } from './scenario';
import { SimulatedAgents } from './simulated-agent';
import { SimulatedAmd } from './simulated-amd';
import { buildVirtualTrunks, VirtualTrunks } from './virtual-rig';

/**
 * Blended campaigns in the benchmark: 2-4 campaigns, each with its own callees
 * (answer rates, talk times), its own lines and its own abandon target, dialling
 * for one pool of seats. File format: the pool's fields (name, agents, hours,
 * warmup_minutes, abandon_after_sec, wrap_sec, window_cap) and `campaigns`, each a
 * scenario of its own (without agents and hours) with a `weight`.
 */
export interface BlendedScenario {
  name: string;
  agents: number;
  hours: number;
  warmupMinutes: number;
  campaigns: (Scenario & { weight: number })[];
}

const POOL_FIELDS = ['agents', 'hours', 'warmup_minutes', 'abandon_after_sec', 'wrap_sec', 'window_cap'] as const;

export function parseBlendedScenario(value: unknown, where = 'blended scenario'): BlendedScenario {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, 'must be a JSON object');
  const raw = value as Record<string, unknown>;
  if (!Array.isArray(raw.campaigns) || raw.campaigns.length < 2 || raw.campaigns.length > 4)
    throw new InputError(`${where}.campaigns`, 'must list 2 to 4 campaigns');
  const pool: Record<string, unknown> = {};
  for (const k of POOL_FIELDS) if (raw[k] !== undefined) pool[k] = raw[k];
  const campaigns = raw.campaigns.map((c: unknown, i: number) => {
    const w = `${where}.campaigns[${i}]`;
    if (!c || typeof c !== 'object') throw new InputError(w, 'must be an object');
    const entry = c as Record<string, unknown>;
    for (const k of POOL_FIELDS) if (entry[k] !== undefined) throw new InputError(`${w}.${k}`, 'belongs to the pool, not to one campaign');
    const weight = entry.weight ?? 1;
    if (typeof weight !== 'number' || !(weight > 0)) throw new InputError(`${w}.weight`, 'must be a positive number');
    return { ...parseScenario({ ...entry, ...pool }, w), weight };
  });
  const names = new Set(campaigns.map((c) => c.name));
  if (names.size !== campaigns.length) throw new InputError(`${where}.campaigns`, 'every campaign needs a name of its own');
  return {
    name: typeof raw.name === 'string' ? raw.name : 'blended',
    agents: campaigns[0].agents,
    hours: campaigns[0].hours,
    warmupMinutes: campaigns[0].warmupMinutes,
    campaigns,
  };
}

export interface BlendedRunResult {
  algorithm: string;
  scenario: string;
  seed: number;
  agents: number;
  /** The pool: talk time with people over logged-in time after warm-up. */
  occupancy: number;
  campaigns: {
    name: string;
    occupancy: number;
    abandon_rate: number;
    max_window_abandon_rate: number;
    answered: number;
    abandoned: number;
    attempts: number;
  }[];
  wall_ms: number;
}

const settle = () => new Promise<void>((r) => setImmediate(r));

/**
 * One blended run. `algorithm` is `predictive` (one BlendedPacing over all the
 * campaigns) or one pacer name per campaign (e.g. fixed ratios tuned per campaign).
 */
export async function runBlendedScenario(
  scenario: BlendedScenario,
  algorithm: 'predictive' | string[],
  seed: number,
): Promise<BlendedRunResult> {
  const wallStart = performance.now();
  const clock = new VirtualClock(0);
  const first = scenario.campaigns[0];
  const trunks: VirtualTrunks[] = [];
  let spanId = 1;
  for (const c of scenario.campaigns) {
    trunks.push(buildVirtualTrunks(c, `${seed}/${c.name}`, clock, spanId));
    spanId += Math.ceil(c.lines / 30);
  }
  const truthOn = (span: number, channel: number) => {
    for (const t of trunks) {
      const truth = t.network.truthOn(span, channel);
      if (truth) return truth;
    }
    return undefined;
  };
  const seats = Array.from(
    { length: scenario.agents },
    (_, i) => new Seat(`agent${i + 1}`, { kind: 'simulated', id: `agent${i + 1}` }, { clock, maxWrapSec: 3600 }),
  );
  const groupRng = new Rng(`${seed}/group`);
  const voice = new SimulatedVoicePlayer({ clock, durationSec: () => first.messageSec });
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('agents', seats, 'least-recent', () => groupRng.next()),
    bridge: new SimulatedMediaBridge(),
    abandonAfterSec: first.abandonAfterSec,
    playAbandonMessage: async (call) => {
      await voice.play({ callId: call.id, span: call.span, channel: call.channel }, { file: 'abandon.wav', plays: 1 }, call.ended);
    },
  });
  new SimulatedAgents({ clock, network: { truthOn }, distributor, wrapSec: first.wrapSec, machineAgentSec: first.machineAgentSec, seed });
  const blended =
    algorithm === 'predictive'
      ? new BlendedPacing(
          scenario.campaigns.map((c) => ({ name: c.name, weight: c.weight, abandonTarget: c.abandonTarget })),
          { abandonAfterSec: first.abandonAfterSec, windowCap: first.windowCap },
        )
      : undefined;
  if (!blended && algorithm.length !== scenario.campaigns.length)
    throw new InputError('blended algorithms', `one per campaign (${scenario.campaigns.length}), got ${algorithm.length}`);
  const warmupEnd = scenario.warmupMinutes * 60_000;
  const runs = scenario.campaigns.map((c, i) => {
    const pacer: Pacer = blended ? blended.pacerFor(c.name) : createPacer((algorithm as string[])[i], { abandonTarget: c.abandonTarget });
    const settings: CampaignSettings = {
      ...DEFAULT_SETTINGS,
      name: c.name,
      mode: 'paced',
      retryRules: {},
      ringSec: c.ringTimeoutSec,
      abandonAfterSec: c.abandonAfterSec,
      abandonTarget: c.abandonTarget,
    };
    const classifier = c.amd.enabled
      ? new SimulatedAmd(trunks[i].network, c.amd.falsePositive, c.amd.falseNegative, `${seed}/${c.name}`)
      : undefined;
    const campaign = new OutboundCampaign(settings, {
      clock,
      dialer: trunks[i].group,
      contacts: new GeneratedContacts(),
      voice,
      distributor,
      pacer,
      classifier,
    });
    // Each campaign's own figures: its network knows only its own callees, so its metrics count only its calls.
    const metrics = new PacingMetrics(clock, warmupEnd, 0, trunks[i].network, distributor, campaign);
    return { c, campaign, metrics };
  });
  for (const s of seats) s.login();
  for (const r of runs) r.campaign.start();
  await settle();
  const endMs = scenario.hours * 3_600_000;
  for (;;) {
    const next = clock.nextDeadline();
    if (next === undefined || next > endMs) break;
    clock.advanceTo(next);
    await settle();
  }
  clock.advanceTo(endMs);
  const campaigns = runs.map((r, i) => {
    const f = r.metrics.finish(endMs, seats);
    return {
      name: r.c.name,
      occupancy: f.occupancy,
      abandon_rate: f.abandon_rate,
      max_window_abandon_rate: f.max_window_abandon_rate,
      answered: f.answered,
      abandoned: f.abandoned,
      attempts: trunks[i].network.attemptCount,
    };
  });
  for (const r of runs) void r.campaign.stop();
  return {
    algorithm: blended ? 'predictive (blended)' : (algorithm as string[]).join(' + '),
    scenario: scenario.name,
    seed,
    agents: scenario.agents,
    occupancy: campaigns.reduce((s, c) => s + c.occupancy, 0),
    campaigns,
    wall_ms: Math.round(performance.now() - wallStart),
  };
}
