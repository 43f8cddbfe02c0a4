import { InputError } from '../core/errors';
import { CalleeCaps } from './callee-caps';
import { ContactList } from './contact-list';

// 2026-03-02 10:00 in Shanghai (UTC+8) is 02:00 UTC.
const MORNING = Date.UTC(2026, 2, 2, 2, 0);
const MIN = 60_000;

describe('per-callee caps', () => {
  test('at most 1 call per 5 minutes and 2 per 24 h to one number, however often the retry rules ask', () => {
    const caps = new CalleeCaps({ maxPer24h: 2, maxPer5min: 1 });
    const list = new ContactList({ retryRules: { busy: { maxAttempts: 10, delaySec: 60 } }, admission: caps });
    list.add('13800138000');
    const dials: number[] = [];
    for (let t = MORNING; t < MORNING + 48 * 60 * MIN; t += MIN) {
      const c = list.take(t);
      if (!c) continue;
      dials.push(t);
      list.settle(c, 'busy', t);
    }
    // The second call waits out the 5 minutes; the third waits for the first to leave the 24 h window.
    expect(dials[1] - dials[0]).toBe(5 * MIN);
    expect(dials[2] - dials[0]).toBe(24 * 60 * MIN);
    for (let i = 0; i < dials.length; i++) {
      expect(dials.filter((d) => d > dials[i] - 24 * 60 * MIN && d <= dials[i]).length).toBeLessThanOrEqual(2);
    }
  });

  test('local hours: a number due at night waits for 08:00 in its zone', () => {
    const caps = new CalleeCaps({ localHours: '08:00-21:00', timeZone: 'Asia/Shanghai' });
    const list = new ContactList({ retryRules: {}, admission: caps });
    list.add('13800138000');
    const night = Date.UTC(2026, 2, 2, 14, 30); // 22:30 in Shanghai
    expect(list.take(night)).toBeUndefined();
    expect(list.nextDueAt()).toBe(Date.UTC(2026, 2, 3, 0, 0)); // 08:00 next day
    expect(list.take(Date.UTC(2026, 2, 3, 0, 0))?.number).toBe('13800138000');
  });

  test('a cap that is not a whole number of at least 1 is refused by name', () => {
    expect(() => new CalleeCaps({ maxPer24h: 0 })).toThrow(InputError);
    expect(() => new CalleeCaps({ localHours: '8-21' })).toThrow(/localHours/);
  });
});
