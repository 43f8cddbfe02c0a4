/**
 * The named fault catalogue for simulated DAHDI spans, shared by the simulator
 * and the tests that trigger faults by name. A condition lasts until cleared; an
 * impulse happens once (with a count).
 */
export const LINE_FLAG = { LOS: 1, LOF: 2, AIS: 4, RAI: 8, DCHANNEL_DOWN: 16 } as const;

export type LineConditionFault = 'LOS' | 'LOF' | 'AIS' | 'RAI' | 'DCHANNEL_DOWN';
export type ImpulseFault = 'SLIPS' | 'CRC4_ERRORS' | 'BPV_ERRORS' | 'FAS_ERRORS' | 'BAD_FCS';
export type FaultName = LineConditionFault | ImpulseFault;

export interface FaultDescription {
  kind: 'condition' | 'impulse';
  /** What a user of the board would see. */
  effect: string;
}

export const FAULT_CATALOGUE: Readonly<Record<FaultName, FaultDescription>> = {
  LOS: {
    kind: 'condition',
    effect: 'loss of signal at this span: RED alarm here (LOS), the far end gets RAI (YELLOW); audio, CAS bits and frames stop both ways',
  },
  LOF: { kind: 'condition', effect: 'loss of frame alignment at this span: RED alarm here (LOF); the far end gets RAI' },
  AIS: { kind: 'condition', effect: 'all ones received (upstream failure): BLUE alarm here; the far end gets RAI' },
  RAI: { kind: 'condition', effect: 'remote alarm indication received: YELLOW alarm here; traffic still flows' },
  DCHANNEL_DOWN: { kind: 'condition', effect: 'the D-channel (TS16 HDLC) carries nothing both ways, without a layer-1 alarm' },
  SLIPS: { kind: 'impulse', effect: 'controlled slips: each deletes one frame (one sample per channel) from what this span receives' },
  CRC4_ERRORS: { kind: 'impulse', effect: 'CRC-4 errors counted here (and as E-bits at the far end); an errored second' },
  BPV_ERRORS: { kind: 'impulse', effect: 'bipolar violations counted here; an errored second' },
  FAS_ERRORS: { kind: 'impulse', effect: 'frame alignment signal errors counted here; an errored second' },
  BAD_FCS: { kind: 'impulse', effect: 'the next N HDLC frames received on this span fail their FCS and are dropped (DAHDI_EVENT_BADFCS)' },
};

export function isConditionFault(name: FaultName): name is LineConditionFault {
  return FAULT_CATALOGUE[name].kind === 'condition';
}
