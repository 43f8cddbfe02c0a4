/**
 * How many spandsp states (allocated by a *_init, released by the matching *_free)
 * are alive now, per kind. The wrappers count here so that a test or a soak can
 * tell a per-call leak of native memory (invisible to the JS heap) from growth
 * elsewhere: after calls and faults the count must come back to the per-line floor.
 */
export type SpanDspStateKind = 'dtmf_rx' | 'dtmf_tx' | 'adsi_rx' | 'r2_mf_rx' | 'r2_mf_tx';

const live: Record<SpanDspStateKind, number> = { dtmf_rx: 0, dtmf_tx: 0, adsi_rx: 0, r2_mf_rx: 0, r2_mf_tx: 0 };

export function stateAllocated(kind: SpanDspStateKind): void {
  live[kind]++;
}

export function stateFreed(kind: SpanDspStateKind): void {
  live[kind]--;
}

/** A copy of the live counts. */
export function liveSpanDspStates(): Record<SpanDspStateKind, number> {
  return { ...live };
}
