/**
 * A country's call-progress tones as data: frequency, level and cadence. The
 * analyser matches cadences from this table and the simulator plays from it, so
 * another zone is a new table, not new code. China's plan: telephony.md (450 Hz).
 */
export type ProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion' | 'vacant' | 'call-waiting';

export interface ToneSpec {
  hz: number;
  /** Sending level at the exchange, dBm0. */
  levelDbm0: number;
  /** On/off durations in ms, repeated; [] means continuous. */
  cadenceMs: readonly number[];
}

export interface TonePlan {
  zone: string;
  tones: Readonly<Record<ProgressTone, ToneSpec>>;
}

export const CHINA_TONE_PLAN: TonePlan = {
  zone: 'cn',
  tones: {
    dial: { hz: 450, levelDbm0: -10, cadenceMs: [] },
    ringback: { hz: 450, levelDbm0: -10, cadenceMs: [1000, 4000] },
    busy: { hz: 450, levelDbm0: -10, cadenceMs: [350, 350] },
    congestion: { hz: 450, levelDbm0: -10, cadenceMs: [700, 700] },
    vacant: { hz: 450, levelDbm0: -10, cadenceMs: [100, 100, 100, 100, 100, 100, 400, 400] },
    'call-waiting': { hz: 450, levelDbm0: -20, cadenceMs: [400, 4000] },
  },
};

/** Distinct frequencies a plan uses: the analyser runs one Goertzel filter per entry. */
export function planFrequencies(plan: TonePlan): number[] {
  return [...new Set(Object.values(plan.tones).map((t) => t.hz))];
}
