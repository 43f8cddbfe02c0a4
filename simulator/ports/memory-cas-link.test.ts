import { VirtualClock } from '../../src/core/clock';
import { MemoryCasLink } from './memory-cas-link';

const IDLE = 0b1001;
const SEIZED = 0b0001;

function link() {
  const clock = new VirtualClock(0);
  const l = new MemoryCasLink({ clock, channels: [1, 2], idleBits: IDLE });
  const alarms: [boolean, string][] = [];
  l.alarmSource('a').onAlarm((inAlarm, reason) => alarms.push([inAlarm, reason]));
  const heard: number[] = [];
  l.a.get(1)!.onAudio(() => heard.push(clock.now()));
  return { clock, l, alarms, heard, a1: l.a.get(1)!, b1: l.b.get(1)! };
}

describe('MemoryCasLink line faults', () => {
  it.each([
    ['AIS', 'LOS'],
    ['LOS', 'AIS'],
  ] as const)('%s then %s: clearing the first leaves the line down until the second clears too', (first, second) => {
    const { clock, l, alarms, heard, a1, b1 } = link();
    l.lineFault(first, true);
    clock.advanceTo(100);
    l.lineFault(second, true);
    clock.advanceTo(200);
    l.lineFault(first, false);
    // The far end seizes while the second condition still stands: nothing crosses.
    b1.setTxBits(SEIZED);
    heard.length = 0;
    clock.advanceTo(400);
    expect(l.lineFaults()).toEqual([second]);
    expect(a1.rxBits).toBe(IDLE);
    expect(heard).toEqual([]);
    expect(alarms).toEqual([[true, first]]);

    l.lineFault(second, false);
    clock.advanceTo(450);
    expect(alarms).toEqual([
      [true, first],
      [false, second],
    ]);
    // Back: the controller sees what the far end sends now, and audio flows again.
    expect(a1.rxBits).toBe(SEIZED);
    expect(heard.length).toBeGreaterThan(0);
  });

  it('the same condition set twice is one condition: one clear ends it', () => {
    const { clock, l, alarms, a1, b1 } = link();
    l.lineFault('LOS', true);
    l.lineFault('LOS', true);
    b1.setTxBits(SEIZED);
    clock.advanceTo(50);
    expect(a1.rxBits).toBe(IDLE);
    l.lineFault('LOS', false);
    clock.advanceTo(60);
    expect(a1.rxBits).toBe(SEIZED);
    expect(alarms).toEqual([
      [true, 'LOS'],
      [false, 'LOS'],
    ]);
  });

  it('a clear of a condition that is not standing changes nothing', () => {
    const { clock, l, alarms, a1, b1 } = link();
    l.lineFault('AIS', true);
    l.lineFault('LOS', false);
    b1.setTxBits(SEIZED);
    clock.advanceTo(50);
    expect(a1.rxBits).toBe(IDLE);
    expect(alarms).toEqual([[true, 'AIS']]);
  });
});
