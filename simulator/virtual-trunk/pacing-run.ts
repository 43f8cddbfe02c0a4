import { CampaignSettings, DEFAULT_SETTINGS } from '../../src/campaign/campaign-settings';
import { GeneratedContacts } from '../../src/campaign/contact-list';
import { OutboundCampaign } from '../../src/campaign/outbound-campaign';
import { InputError } from '../../src/core/errors';
import { SimulatedVoicePlayer } from '../ports/simulated-voice-player';
import { createPacer } from '../../src/pacing/pacer-factory';
import { PacerModel } from '../../src/pacing/pacer-model';
import { AnswerGroup } from '../../src/seats/answer-group';
import { SimulatedMediaBridge } from '../ports/simulated-media-bridge';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { Rng } from '../random';
import { PacingMetrics } from './pacing-metrics';
import { Scenario } from './scenario';
import { SimulatedAgents } from './simulated-agent';
import { SimulatedAmd } from './simulated-amd';
import { buildVirtualTrunks } from './virtual-rig';

/**
 * One benchmark run: the real campaign, seats, distributor, Span and TrunkGroup,
 * wired to the virtual network and simulated agents, driven through the scenario
 * in virtual time. Output fields as in shared/spec/pacing-bench.md.
 */
export interface PacingRunResult {
  algorithm: string;
  scenario: string;
  seed: number;
  agents: number;
  lines: number;
  sim_hours: number;
  occupancy: number;
  busy_share: number;
  abandon_rate: number;
  abandon_rate_ofcom: number;
  max_window_abandon_rate: number;
  asa_sec: number;
  contacts_per_agent_hour: number;
  attempts: number;
  answered: number;
  abandoned: number;
  lines_mean: number;
  lines_max: number;
  wall_ms: number;
}

/** Lets promise continuations run before virtual time moves on. */
const settle = () => new Promise<void>((r) => setImmediate(r));

export interface PacingRunOptions {
  /** A model a learning pacer kept from an earlier run, to start from. */
  warmStart?: PacerModel;
  /** Given what the pacer learned, at the end of the run. */
  keepModel?: (model: PacerModel) => void;
}

export async function runPacingScenario(
  scenario: Scenario,
  algorithm: string,
  seed: number,
  opts: PacingRunOptions = {},
): Promise<PacingRunResult> {
  const wallStart = performance.now();
  const { clock, network, group } = buildVirtualTrunks(scenario, seed);
  const seats = Array.from(
    { length: scenario.agents },
    (_, i) => new Seat(`agent${i + 1}`, { kind: 'simulated', id: `agent${i + 1}` }, { clock, maxWrapSec: 3600 }),
  );
  const groupRng = new Rng(`${seed}/group`);
  const answerGroup = new AnswerGroup('agents', seats, 'least-recent', () => groupRng.next());
  const voice = new SimulatedVoicePlayer({ clock, durationSec: () => scenario.messageSec });
  const distributor = new SeatDistributor({
    clock,
    group: answerGroup,
    bridge: new SimulatedMediaBridge(),
    abandonAfterSec: scenario.abandonAfterSec,
    playAbandonMessage: async (call) => {
      await voice.play({ callId: call.id, span: call.span, channel: call.channel }, { file: 'abandon.wav', plays: 1 }, call.ended);
    },
  });
  new SimulatedAgents({ clock, network, distributor, wrapSec: scenario.wrapSec, machineAgentSec: scenario.machineAgentSec, seed });
  const settings: CampaignSettings = {
    ...DEFAULT_SETTINGS,
    name: scenario.name,
    mode: 'paced',
    retryRules: {},
    ringSec: scenario.ringTimeoutSec,
    abandonAfterSec: scenario.abandonAfterSec,
    abandonTarget: scenario.abandonTarget,
  };
  const pacer = createPacer(algorithm, {
    abandonTarget: scenario.abandonTarget,
    abandonAfterSec: scenario.abandonAfterSec,
    windowCap: scenario.windowCap,
  });
  if (opts.warmStart) {
    if (!pacer.importModel) throw new InputError('warm start', `${pacer.name} keeps no model`);
    pacer.importModel(opts.warmStart);
  }
  const classifier = scenario.amd.enabled
    ? new SimulatedAmd(network, scenario.amd.falsePositive, scenario.amd.falseNegative, seed)
    : undefined;
  const campaign = new OutboundCampaign(settings, {
    clock,
    dialer: group,
    contacts: new GeneratedContacts(),
    voice,
    distributor,
    pacer,
    classifier,
  });
  const warmupEnd = scenario.warmupMinutes * 60_000;
  const metrics = new PacingMetrics(clock, warmupEnd, 0, network, distributor, campaign);
  const totalLines = group.totalChannels();
  for (const s of seats) s.login();
  campaign.start();
  await settle();

  const endMs = scenario.hours * 3_600_000;
  for (;;) {
    const next = clock.nextDeadline();
    if (next === undefined || next > endMs) break;
    metrics.lines(clock.now(), totalLines - group.idleChannels());
    clock.advanceTo(next);
    await settle();
  }
  metrics.lines(endMs, totalLines - group.idleChannels());
  clock.advanceTo(endMs);
  const figures = metrics.finish(endMs, seats);
  const model = pacer.exportModel?.();
  if (model) opts.keepModel?.(model);
  void campaign.stop();
  return {
    algorithm: pacer.name,
    scenario: scenario.name,
    seed,
    agents: scenario.agents,
    lines: scenario.lines,
    sim_hours: scenario.hours,
    ...figures,
    attempts: network.attemptCount,
    wall_ms: Math.round(performance.now() - wallStart),
  };
}
