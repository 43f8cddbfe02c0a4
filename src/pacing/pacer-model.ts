import { InputError } from '../core/errors';

/**
 * What a learning pacer knows, kept between runs so that the first hour after a
 * restart does not start from nothing: recent settle times (and whether each was
 * answered), talk and wrap-up durations, and where its feedback had taken the
 * threshold. Oldest first, so that replaying them fills the windows as they were.
 * The legal abandon count is not part of it: that counts from a run's first call.
 */
export interface PacerModel {
  version: 1;
  pacer: 'predictive';
  /** Settle times of recent dial attempts (ms) and whether each was answered by a person. */
  settleMs: number[];
  answered: boolean[];
  talkMs: number[];
  wrapMs: number[];
  /** The feedback-steered marginal-risk threshold (natural log). */
  logThreshold: number;
}

/** A model larger than this is refused (the pacer's windows are 600 settles and 400 durations each). */
export const PACER_MODEL_MAX_ENTRIES = 5000;

function durations(v: unknown, where: string): number[] {
  if (!Array.isArray(v)) throw new InputError(where, 'must be an array of durations in ms');
  if (v.length > PACER_MODEL_MAX_ENTRIES) throw new InputError(where, `holds ${v.length} entries, at most ${PACER_MODEL_MAX_ENTRIES}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 86_400_000)
      throw new InputError(`${where}[${i}]`, `must be a duration 0-86400000 ms, got ${JSON.stringify(x)}`);
  });
  return v as number[];
}

/** Checks a model read back from the store; every problem names its field. */
export function parsePacerModel(value: unknown, where = 'pacer model'): PacerModel {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError(where, 'must be an object');
  const m = value as Record<string, unknown>;
  if (m.version !== 1) throw new InputError(`${where}.version`, `unknown version ${JSON.stringify(m.version)} (this build reads 1)`);
  if (m.pacer !== 'predictive') throw new InputError(`${where}.pacer`, `is for '${String(m.pacer)}', not predictive`);
  const settleMs = durations(m.settleMs, `${where}.settleMs`);
  if (!Array.isArray(m.answered) || m.answered.length !== settleMs.length || !m.answered.every((a) => typeof a === 'boolean')) {
    throw new InputError(`${where}.answered`, 'must be one true/false per settle time');
  }
  if (typeof m.logThreshold !== 'number' || !Number.isFinite(m.logThreshold) || m.logThreshold > 0)
    throw new InputError(`${where}.logThreshold`, 'must be the log of a share (a number at most 0)');
  return {
    version: 1,
    pacer: 'predictive',
    settleMs,
    answered: m.answered as boolean[],
    talkMs: durations(m.talkMs, `${where}.talkMs`),
    wrapMs: durations(m.wrapMs, `${where}.wrapMs`),
    logThreshold: m.logThreshold,
  };
}
