import { Clock } from '../../core/clock';
import { StateMachine, TransitionTable } from '../../core/state-machine';

/** One module's call, as the trunk sees it (modem-call.fsm.md). A module carries one call at a time. */
export type ModemCallState = 'idle' | 'dialing' | 'alerting' | 'active' | 'ringing-in' | 'answering' | 'releasing';
export type ModemCallStimulus = 'dial' | 'ring' | 'alerting' | 'active' | 'answer' | 'ended' | 'hangup' | 'released' | 'reset';

export const MODEM_CALL_TABLE: TransitionTable<ModemCallState, ModemCallStimulus> = {
  idle: { dial: 'dialing', ring: 'ringing-in', reset: 'idle' },
  dialing: { alerting: 'alerting', active: 'active', ended: 'releasing', hangup: 'releasing', reset: 'idle' },
  alerting: { alerting: 'alerting', active: 'active', ended: 'releasing', hangup: 'releasing', reset: 'idle' },
  active: { active: 'active', ended: 'releasing', hangup: 'releasing', reset: 'idle' },
  'ringing-in': { ring: 'ringing-in', answer: 'answering', ended: 'releasing', hangup: 'releasing', reset: 'idle' },
  answering: { active: 'active', ended: 'releasing', hangup: 'releasing', reset: 'idle' },
  releasing: { released: 'idle', reset: 'idle' },
};

export function modemCallMachine(name: string, clock: Clock): StateMachine<ModemCallState, ModemCallStimulus> {
  return new StateMachine(name, MODEM_CALL_TABLE, 'idle', { clock });
}
