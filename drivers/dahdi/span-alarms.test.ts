import { VirtualClock } from '../../src/core/clock';
import { DAHDI } from './abi';
import { rawAlarms, SpanAlarmChange, SpanAlarmState } from './span-alarms';

describe('span alarm debounce', () => {
  const setup = () => {
    const clock = new VirtualClock(0);
    const changes: SpanAlarmChange[] = [];
    const state = new SpanAlarmState(1, clock, (c) => changes.push(c));
    return { clock, changes, state };
  };

  test('LOS becomes a RED alarm only after 2500 ms, and clears 2500 ms after it ends', () => {
    const { clock, changes, state } = setup();
    state.update(DAHDI.ALARM_RED | DAHDI.ALARM_LOS);
    clock.advance(2499);
    expect(changes).toEqual([]);
    expect(state.down).toBe(false);
    clock.advance(1);
    expect(changes).toEqual([{ spanno: 1, kind: 'red', active: true, cause: 'LOS', at: 2500 }]);
    expect(state.down).toBe(true);
    state.update(0);
    clock.advance(2499);
    expect(state.down).toBe(true);
    clock.advance(1);
    expect(changes[1]).toMatchObject({ kind: 'red', active: false, at: 5000 });
    expect(state.down).toBe(false);
  });

  test('a LOS shorter than the debounce raises nothing; a brief return inside an alarm does not clear it', () => {
    const { clock, changes, state } = setup();
    state.update(DAHDI.ALARM_RED | DAHDI.ALARM_LOS);
    clock.advance(2000);
    state.update(0);
    clock.advance(10_000);
    expect(changes).toEqual([]);
    state.update(DAHDI.ALARM_RED | DAHDI.ALARM_LFA);
    clock.advance(2500);
    expect(changes).toEqual([expect.objectContaining({ kind: 'red', active: true, cause: 'LOF' })]);
    state.update(0);
    clock.advance(1000);
    state.update(DAHDI.ALARM_RED | DAHDI.ALARM_LFA);
    clock.advance(10_000);
    expect(changes).toHaveLength(1);
  });

  test('RAI (YELLOW) settles in 500 ms and AIS (BLUE) in 2500 ms; YELLOW alone leaves the span up', () => {
    const { clock, changes, state } = setup();
    state.update(DAHDI.ALARM_YELLOW);
    clock.advance(500);
    expect(changes.map((c) => `${c.kind}:${c.cause}@${c.at}`)).toEqual(['yellow:RAI@500']);
    expect(state.down).toBe(false);
    state.update(DAHDI.ALARM_YELLOW | DAHDI.ALARM_BLUE);
    clock.advance(2500);
    expect(changes.map((c) => `${c.kind}:${c.cause}@${c.at}`)).toEqual(['yellow:RAI@500', 'blue:AIS@3000']);
    expect(state.active).toEqual({ red: false, blue: true, yellow: true });
  });

  test('raw alarm words decode to causes', () => {
    expect(rawAlarms(0)).toEqual({ red: undefined, blue: undefined, yellow: undefined });
    expect(rawAlarms(DAHDI.ALARM_RED | DAHDI.ALARM_LOS | DAHDI.ALARM_LFA).red).toBe('LOS');
    expect(rawAlarms(DAHDI.ALARM_RED | DAHDI.ALARM_LFA).red).toBe('LOF');
  });
});
