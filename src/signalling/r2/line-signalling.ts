import { TransitionTable } from '../../core/state-machine';
import { Abcd, LineBits } from './variants';

/** Line states of one circuit; see line-signalling.fsm. */
export type LineState =
  | 'idle'
  | 'blocked-remote'
  | 'blocked-local'
  | 'out-seizing'
  | 'out-seized'
  | 'out-answered'
  | 'out-clear-back'
  | 'out-clearing'
  | 'in-seized'
  | 'in-answered'
  | 'in-clear-back'
  | 'in-releasing'
  | 'fault'
  /** The span's line has failed (LOS, AIS, RAI...): no bits mean anything until it returns. */
  | 'alarm';

export type LineEvent =
  // local
  | 'seize'
  | 'answer'
  | 'clear-back'
  | 'clear-forward'
  | 'block'
  | 'unblock'
  | 'guard-done'
  | 'glare-yield'
  | 'glare-hold'
  // received, as decoded for the state's role
  | 'rx-idle'
  | 'rx-seize'
  | 'rx-ack'
  | 'rx-answer'
  | 'rx-clear-forward'
  | 'rx-blocked'
  | 'rx-unknown'
  // timers
  | 'seize-ack-timeout'
  | 'release-guard-timeout'
  | 'clear-forward-timeout'
  // the span's line (layer 1)
  | 'line-alarm'
  | 'line-back';

const OUT_CLEAR = { 'clear-forward': 'out-clearing' } as const;

export const LINE_TRANSITIONS: TransitionTable<LineState, LineEvent> = {
  idle: {
    'line-alarm': 'alarm',
    seize: 'out-seizing',
    'rx-seize': 'in-seized',
    'rx-blocked': 'blocked-remote',
    block: 'blocked-local',
    'rx-idle': 'idle',
    'rx-unknown': 'fault',
  },
  'blocked-remote': {
    'line-alarm': 'alarm',
    'rx-idle': 'idle',
    'rx-blocked': 'blocked-remote',
    'rx-unknown': 'blocked-remote',
    'rx-seize': 'blocked-remote',
    block: 'blocked-local',
  },
  'blocked-local': {
    'line-alarm': 'alarm',
    unblock: 'idle',
    block: 'blocked-local',
    'rx-idle': 'blocked-local',
    'rx-seize': 'blocked-local',
    'rx-blocked': 'blocked-local',
    'rx-unknown': 'blocked-local',
  },
  'out-seizing': {
    'line-alarm': 'alarm',
    ...OUT_CLEAR,
    'rx-ack': 'out-seized',
    'glare-yield': 'in-seized',
    'glare-hold': 'out-seizing',
    'seize-ack-timeout': 'out-clearing',
    'rx-idle': 'out-seizing',
    'rx-unknown': 'out-seizing',
    'rx-answer': 'out-seizing',
  },
  'out-seized': {
    'line-alarm': 'alarm',
    ...OUT_CLEAR,
    'rx-answer': 'out-answered',
    'rx-ack': 'out-seized',
    'rx-idle': 'out-clearing',
    'rx-unknown': 'out-seized',
    'rx-seize': 'out-seized',
  },
  'out-answered': {
    'line-alarm': 'alarm',
    ...OUT_CLEAR,
    'rx-ack': 'out-clear-back',
    'rx-answer': 'out-answered',
    'rx-idle': 'out-clearing',
    'rx-unknown': 'out-answered',
    'rx-seize': 'out-answered',
  },
  'out-clear-back': {
    'line-alarm': 'alarm',
    ...OUT_CLEAR,
    'rx-ack': 'out-clear-back',
    'rx-answer': 'out-answered',
    'rx-idle': 'out-clearing',
    'rx-unknown': 'out-clear-back',
    'rx-seize': 'out-clear-back',
  },
  'out-clearing': {
    'line-alarm': 'alarm',
    ...OUT_CLEAR,
    'rx-idle': 'idle',
    'rx-ack': 'out-clearing',
    'rx-answer': 'out-clearing',
    'rx-unknown': 'out-clearing',
    'rx-seize': 'out-clearing',
    'release-guard-timeout': 'fault',
  },
  'in-seized': {
    'line-alarm': 'alarm',
    answer: 'in-answered',
    'clear-back': 'in-clear-back',
    'rx-clear-forward': 'in-releasing',
    'rx-seize': 'in-seized',
    'rx-unknown': 'in-seized',
  },
  'in-answered': {
    'line-alarm': 'alarm',
    'clear-back': 'in-clear-back',
    'rx-clear-forward': 'in-releasing',
    'rx-seize': 'in-answered',
    'rx-unknown': 'in-answered',
  },
  'in-clear-back': {
    'line-alarm': 'alarm',
    'clear-back': 'in-clear-back',
    'rx-clear-forward': 'in-releasing',
    'rx-seize': 'in-clear-back',
    'rx-unknown': 'in-clear-back',
    'clear-forward-timeout': 'fault',
  },
  'in-releasing': {
    'line-alarm': 'alarm',
    'guard-done': 'idle',
    'clear-back': 'in-releasing',
    'rx-clear-forward': 'in-releasing',
    'rx-seize': 'in-releasing',
    'rx-unknown': 'in-releasing',
  },
  fault: {
    'line-alarm': 'alarm',
    'rx-idle': 'idle',
    'rx-unknown': 'fault',
    'rx-seize': 'fault',
    'rx-blocked': 'fault',
    'rx-ack': 'fault',
    'rx-answer': 'fault',
    block: 'blocked-local',
    'clear-forward': 'fault',
    'clear-back': 'fault',
  },
  alarm: {
    'line-alarm': 'alarm',
    'line-back': 'idle',
  },
};

type Role = 'idle' | 'forward' | 'backward';

export function roleOf(state: LineState): Role {
  if (state.startsWith('out-')) return 'forward';
  if (state.startsWith('in-')) return 'backward';
  return 'idle';
}

/**
 * Decodes received bits by what the far end can be saying in this state: as
 * the backward end while we are forward, as the forward end while we are
 * backward, either while idle. Only the bits in `rxMask` count.
 */
export function decodeRx(bits: Abcd, state: LineState, line: LineBits): LineEvent {
  const m = line.rxMask;
  const is = (p: Abcd) => (bits & m) === (p & m);
  switch (roleOf(state)) {
    case 'forward':
      if (is(line.backward.idle)) return 'rx-idle';
      if (is(line.backward.seizeAck)) return 'rx-ack';
      if (is(line.backward.answer)) return 'rx-answer';
      if (is(line.forward.seize)) return 'rx-seize';
      return 'rx-unknown';
    case 'backward':
      if (is(line.forward.clearForward)) return 'rx-clear-forward';
      if (is(line.forward.seize)) return 'rx-seize';
      return 'rx-unknown';
    default:
      if (is(line.backward.idle)) return 'rx-idle';
      if (is(line.forward.seize)) return 'rx-seize';
      if (is(line.backward.blocked)) return 'rx-blocked';
      return 'rx-unknown';
  }
}

/** Human meaning of received bits for the trace. */
export function describeRx(ev: LineEvent, state: LineState): string {
  switch (ev) {
    case 'rx-idle':
      return state === 'out-clearing' ? 'release guard (idle)' : 'idle';
    case 'rx-seize':
      return 'seize';
    case 'rx-ack':
      return state === 'out-seizing' ? 'seize acknowledge' : state === 'out-answered' ? 'clear-back' : 'seize acknowledge / clear-back';
    case 'rx-answer':
      return 'answer';
    case 'rx-clear-forward':
      return 'clear-forward';
    case 'rx-blocked':
      return 'blocked';
    default:
      return 'undefined pattern';
  }
}
