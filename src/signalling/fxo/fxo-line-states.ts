import { TransitionTable } from '../../core/state-machine';

/** See fxo-line.fsm.md beside this file. */
export type FxoLineState =
  | 'unavailable'
  | 'idle'
  | 'seizing'
  | 'dialing'
  | 'awaiting-answer'
  | 'connected'
  | 'flashing'
  | 'clearing'
  | 'incoming-ringing'
  | 'ignoring';
export type FxoLineEventName =
  | 'battery-lost'
  | 'battery-back'
  | 'seize'
  | 'dial-tone'
  | 'digits-sent'
  | 'answer'
  | 'flash'
  | 'flash-done'
  | 'release'
  | 'cleared'
  | 'ring'
  | 'ring-stopped'
  | 'answer-incoming'
  | 'ignore';

const LIVE = { 'battery-lost': 'unavailable', release: 'clearing' } as const;
export const FXO_LINE_TRANSITIONS: TransitionTable<FxoLineState, FxoLineEventName> = {
  unavailable: { 'battery-back': 'idle', 'battery-lost': 'unavailable' },
  idle: { seize: 'seizing', ring: 'incoming-ringing', 'battery-lost': 'unavailable' },
  seizing: { 'dial-tone': 'dialing', ...LIVE },
  dialing: { 'digits-sent': 'awaiting-answer', ...LIVE },
  'awaiting-answer': { answer: 'connected', ...LIVE },
  connected: { flash: 'flashing', ...LIVE },
  flashing: { 'flash-done': 'connected', ...LIVE },
  clearing: { cleared: 'idle', release: 'clearing', 'battery-lost': 'unavailable' },
  'incoming-ringing': {
    ring: 'incoming-ringing',
    'answer-incoming': 'connected',
    'ring-stopped': 'idle',
    ignore: 'ignoring',
    'battery-lost': 'unavailable',
  },
  ignoring: { ring: 'ignoring', 'ring-stopped': 'idle', 'battery-lost': 'unavailable' },
};
