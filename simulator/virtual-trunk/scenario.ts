import { InputError } from '../../src/core/errors';
import { Distribution, parseDistribution } from '../random';

/**
 * A pacing-benchmark scenario (format in shared/spec/pacing-bench.md): who answers,
 * how long things take, and how many agents and lines there are.
 */
export type ScenarioOutcome = 'invalid' | 'busy' | 'no_answer' | 'machine' | 'human';
export const SCENARIO_OUTCOMES: readonly ScenarioOutcome[] = ['invalid', 'busy', 'no_answer', 'machine', 'human'];

export interface AmdSettings {
  enabled: boolean;
  falsePositive: number;
  falseNegative: number;
}

/** A change applied at a point of the run (answer rates drift over a day). */
export interface ScheduleStep {
  atMinutes: number;
  outcomes: Partial<Record<ScenarioOutcome, number>>;
}

export interface Scenario {
  name: string;
  agents: number;
  lines: number;
  hours: number;
  warmupMinutes: number;
  abandonTarget: number;
  /** The most abandoned / answered may reach in the worst rolling hour (the benchmark's rule: 5%). */
  windowCap: number;
  abandonAfterSec: number;
  ringTimeoutSec: number;
  postDialDelaySec: Distribution;
  outcomes: Record<ScenarioOutcome, number>;
  humanRingSec: Distribution;
  machineRingSec: Distribution;
  talkSec: Distribution;
  wrapSec: Distribution;
  machineAgentSec: number;
  messageSec: number;
  fastFailSec: number;
  amd: AmdSettings;
  schedule: ScheduleStep[];
}

type Raw = Record<string, unknown>;

function num(raw: Raw, key: string, where: string, dflt?: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const v = raw[key];
  if (v === undefined) {
    if (dflt === undefined) throw new InputError(`${where}.${key}`, 'is required');
    return dflt;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}.${key}`, `must be a number, got ${JSON.stringify(v)}`);
  if (opts.integer && !Number.isInteger(v)) throw new InputError(`${where}.${key}`, `must be a whole number, got ${v}`);
  if (opts.min !== undefined && v < opts.min) throw new InputError(`${where}.${key}`, `must be at least ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new InputError(`${where}.${key}`, `must be at most ${opts.max}, got ${v}`);
  return v;
}

function outcomeWeights(v: unknown, where: string, partial: boolean): Partial<Record<ScenarioOutcome, number>> {
  if (!v || typeof v !== 'object') throw new InputError(where, 'must be an object of outcome weights');
  const out: Partial<Record<ScenarioOutcome, number>> = {};
  for (const [k, w] of Object.entries(v as Raw)) {
    if (!(SCENARIO_OUTCOMES as readonly string[]).includes(k))
      throw new InputError(`${where}.${k}`, `unknown outcome (${SCENARIO_OUTCOMES.join(', ')})`);
    if (typeof w !== 'number' || !(w >= 0)) throw new InputError(`${where}.${k}`, 'must be a non-negative number');
    out[k as ScenarioOutcome] = w;
  }
  if (!partial) {
    for (const k of SCENARIO_OUTCOMES) out[k] ??= 0;
    if (SCENARIO_OUTCOMES.every((k) => out[k] === 0)) throw new InputError(where, 'all weights are zero');
  }
  return out;
}

/** Checks a scenario read from JSON; every problem names its field. */
export function parseScenario(value: unknown, where = 'scenario'): Scenario {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, 'must be a JSON object');
  const raw = value as Raw;
  const amdRaw = (raw.amd ?? {}) as Raw;
  const schedule = raw.schedule ?? [];
  if (!Array.isArray(schedule)) throw new InputError(`${where}.schedule`, 'must be an array');
  const scenario: Scenario = {
    name: typeof raw.name === 'string' && raw.name ? raw.name : 'unnamed',
    agents: num(raw, 'agents', where, undefined, { min: 1, max: 999, integer: true }),
    lines: num(raw, 'lines', where, undefined, { min: 1, max: 999, integer: true }),
    hours: num(raw, 'hours', where, undefined, { min: 0.01, max: 48 }),
    warmupMinutes: num(raw, 'warmup_minutes', where, 15, { min: 0 }),
    abandonTarget: num(raw, 'abandon_target', where, 0.03, { min: 0, max: 1 }),
    windowCap: num(raw, 'window_cap', where, 0.05, { min: 0.0001, max: 1 }),
    abandonAfterSec: num(raw, 'abandon_after_sec', where, 2, { min: 0 }),
    ringTimeoutSec: num(raw, 'ring_timeout_sec', where, 45, { min: 1 }),
    postDialDelaySec: parseDistribution(raw.post_dial_delay_sec ?? { dist: 'fixed', value: 3 }, `${where}.post_dial_delay_sec`),
    outcomes: outcomeWeights(raw.outcomes, `${where}.outcomes`, false) as Record<ScenarioOutcome, number>,
    humanRingSec: parseDistribution(raw.human_ring_sec ?? { dist: 'fixed', value: 8 }, `${where}.human_ring_sec`),
    machineRingSec: parseDistribution(raw.machine_ring_sec ?? { dist: 'fixed', value: 20 }, `${where}.machine_ring_sec`),
    talkSec: parseDistribution(raw.talk_sec, `${where}.talk_sec`),
    wrapSec: parseDistribution(raw.wrap_sec ?? { dist: 'fixed', value: 0 }, `${where}.wrap_sec`),
    machineAgentSec: num(raw, 'machine_agent_sec', where, 10, { min: 0 }),
    messageSec: num(raw, 'message_sec', where, 8, { min: 0 }),
    fastFailSec: num(raw, 'fast_fail_sec', where, 1, { min: 0 }),
    amd: {
      enabled: amdRaw.enabled === true,
      falsePositive: num(amdRaw, 'false_positive', `${where}.amd`, 0, { min: 0, max: 1 }),
      falseNegative: num(amdRaw, 'false_negative', `${where}.amd`, 0, { min: 0, max: 1 }),
    },
    schedule: schedule.map((s: unknown, i: number) => {
      const w = `${where}.schedule[${i}]`;
      if (!s || typeof s !== 'object') throw new InputError(w, 'must be an object');
      const step = s as Raw;
      return {
        atMinutes: num(step, 'at_minutes', w, undefined, { min: 0 }),
        outcomes: outcomeWeights(step.outcomes, `${w}.outcomes`, true),
      };
    }),
  };
  scenario.schedule.sort((a, b) => a.atMinutes - b.atMinutes);
  return scenario;
}
