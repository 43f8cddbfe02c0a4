/**
 * The one fault vocabulary of the simulator, the tests and the tools (`sim calls
 * --fault`, `sim soak --faults all`). Every rig injects faults by these names
 * (`rig.injectFault(NAME, params)`; a condition is cleared with `{ clear: true }`)
 * and declares which of them it can show. The E1 line conditions and impulses are
 * the userspace DAHDI's (dahdi/faults.ts), the modem faults the simulated modules'
 * (modem/modem-faults.ts).
 */
import { InputError } from '../src/core/errors';
import { FAULT_CATALOGUE as LINE_FAULTS, FaultName as LineFaultName } from './dahdi/faults';
import { MODEM_FAULT_CATALOGUE, ModemFaultName } from './modem/modem-faults';

export type SignallingFaultName = 'LINK_FAILURE' | 'GLARE' | 'RESET_CHANNEL' | 'BLOCK' | 'CAS_HIT' | 'BATTERY_LOSS' | 'MESSAGE_WAITING';
export type SimFaultName = LineFaultName | SignallingFaultName | ModemFaultName;

export interface SimFault {
  /** A condition is set and later cleared; an impulse happens once. */
  kind: 'condition' | 'impulse';
  /** A whole span (or link), or one channel (a timeslot, an analog line, a module) of it. */
  target: 'span' | 'channel';
  effect: string;
}

const SIGNALLING_FAULTS: Readonly<Record<SignallingFaultName, SimFault>> = {
  LINK_FAILURE: { kind: 'condition', target: 'span', effect: 'the signalling link (No.7 MTP2 on TS16) is cut both ways' },
  GLARE: { kind: 'impulse', target: 'span', effect: "the network seizes the channel of the controller's next call, crossing it" },
  RESET_CHANNEL: { kind: 'impulse', target: 'channel', effect: 'the network resets one channel (Q.931 RESTART, ISUP/TUP reset)' },
  BLOCK: { kind: 'condition', target: 'channel', effect: 'the network blocks one circuit' },
  CAS_HIT: { kind: 'impulse', target: 'channel', effect: 'random ABCD bits on one timeslot for 1-40 ms (CAS bit flapping)' },
  BATTERY_LOSS: { kind: 'condition', target: 'channel', effect: 'an analog line loses battery (line card or cable dead)' },
  MESSAGE_WAITING: { kind: 'impulse', target: 'channel', effect: 'neon message-waiting pulses on an idle analog line' },
};

export const SIM_FAULTS: Readonly<Record<SimFaultName, SimFault>> = {
  ...(Object.fromEntries(
    Object.entries(LINE_FAULTS).map(([name, f]) => [name, { kind: f.kind, target: 'span', effect: f.effect }]),
  ) as Record<LineFaultName, SimFault>),
  ...SIGNALLING_FAULTS,
  ...(Object.fromEntries(
    Object.entries(MODEM_FAULT_CATALOGUE).map(([name, effect]) => [name, { kind: 'condition', target: 'channel', effect }]),
  ) as Record<ModemFaultName, SimFault>),
};

/** The names `--fault` took before there was one vocabulary: still accepted, as the CLI flag is public. */
const FORMER_NAMES: Readonly<Record<string, SimFaultName>> = {
  glare: 'GLARE',
  block: 'BLOCK',
  'cas-hit': 'CAS_HIT',
  'battery-loss': 'BATTERY_LOSS',
  'message-waiting': 'MESSAGE_WAITING',
  'reset-channel': 'RESET_CHANNEL',
  'restart-channel': 'RESET_CHANNEL',
};

/** A fault name as a user wrote it (catalogue name, any case, or a former name) -> the catalogue's name. */
export function canonicalFaultName(name: string): SimFaultName | undefined {
  if (Object.hasOwn(FORMER_NAMES, name)) return FORMER_NAMES[name];
  const upper = name.toUpperCase().replace(/-/g, '_');
  return Object.hasOwn(SIM_FAULTS, upper) ? (upper as SimFaultName) : undefined;
}

/** A rig's catalogue: the named faults it can show, with their kind and target. */
export function rigFaults(names: readonly SimFaultName[]): Readonly<Partial<Record<SimFaultName, SimFault>>> {
  return Object.fromEntries(names.map((n) => [n, SIM_FAULTS[n]]));
}

/** The error a rig gives for a fault it does not have. */
export function unknownFault(name: string, has: readonly string[]): InputError {
  return new InputError('fault', `this rig has no fault '${name}' (it has: ${has.join(', ')})`);
}
