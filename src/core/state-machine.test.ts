import { VirtualClock } from './clock';
import { StateTransitionError } from './errors';
import { StateMachine, TransitionTable } from './state-machine';

type S = 'idle' | 'busy' | 'done';
type E = 'start' | 'finish' | 'reset';
const TABLE: TransitionTable<S, E> = {
  idle: { start: 'busy' },
  busy: { finish: 'done', reset: 'idle' },
  done: { reset: 'idle' },
};

describe('StateMachine', () => {
  it('follows the declared table and records each move with its time', () => {
    const clock = new VirtualClock(1000);
    const m = new StateMachine('job', TABLE, 'idle', { clock });
    m.transition('start');
    clock.advance(5);
    m.transition('finish', 'ok');
    expect(m.state).toBe('done');
    expect(m.history()).toEqual([
      { at: 1000, from: 'idle', event: 'start', to: 'busy', note: undefined },
      { at: 1005, from: 'busy', event: 'finish', to: 'done', note: 'ok' },
    ]);
  });

  it('throws a typed error naming the machine, state and event on an illegal move, and stays put', () => {
    const m = new StateMachine('job 7', TABLE, 'idle');
    let caught: unknown;
    try {
      m.transition('finish');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StateTransitionError);
    expect((caught as StateTransitionError).code).toBe('STATE_TRANSITION');
    expect((caught as Error).message).toMatch(/job 7: event 'finish' is not allowed in state 'idle'/);
    expect(m.state).toBe('idle');
  });

  it('keeps only the most recent transitions, oldest first', () => {
    const m = new StateMachine('job', TABLE, 'idle', { historySize: 3 });
    for (let i = 0; i < 5; i++) {
      m.transition('start');
      m.transition('reset');
    }
    const h = m.history();
    expect(h).toHaveLength(3);
    expect(h.map((x) => x.event)).toEqual(['reset', 'start', 'reset']);
  });

  it('runs named timers on the injected clock and lets them be replaced or stopped', () => {
    const clock = new VirtualClock();
    const m = new StateMachine('job', TABLE, 'idle', { clock });
    const fired: string[] = [];
    m.startTimer('t1', 100, () => fired.push('t1'));
    m.startTimer('t1', 300, () => fired.push('t1-restarted'));
    m.startTimer('t2', 200, () => fired.push('t2'));
    clock.advance(150);
    expect(fired).toEqual([]);
    m.stopTimer('t2');
    clock.advance(200);
    expect(fired).toEqual(['t1-restarted']);
    expect(m.hasTimer('t1')).toBe(false);
  });
});
