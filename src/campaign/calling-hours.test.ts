import { InputError } from '../core/errors';
import { CallingHours } from './calling-hours';

const at = (iso: string) => Date.parse(iso);

describe('CallingHours', () => {
  const hours = new CallingHours([
    { days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00', timeZone: 'Asia/Shanghai' },
    { days: [1, 2, 3, 4, 5], start: '14:00', end: '18:30', timeZone: 'Asia/Shanghai' },
  ]);

  test("open inside a window, closed outside, in the window's own zone", () => {
    // Monday 2026-11-23 09:00 in Shanghai is 01:00 UTC.
    expect(hours.isOpen(at('2026-11-23T01:00:00Z'))).toBe(true);
    expect(hours.isOpen(at('2026-11-23T00:59:00Z'))).toBe(false);
    expect(hours.isOpen(at('2026-11-23T04:00:00Z'))).toBe(false); // 12:00 local: end is exclusive
    expect(hours.isOpen(at('2026-11-23T10:29:00Z'))).toBe(true); // 18:29 local
    expect(hours.isOpen(at('2026-11-22T02:00:00Z'))).toBe(false); // Sunday
  });

  test('the next opening skips the lunch break and the weekend', () => {
    expect(hours.nextOpening(at('2026-11-23T04:30:00Z'))).toBe(at('2026-11-23T06:00:00Z'));
    expect(hours.nextOpening(at('2026-11-21T12:00:00Z'))).toBe(at('2026-11-23T01:00:00Z')); // Saturday -> Monday
  });

  test("zones differ: a Xinjiang window opens two hours after Beijing's", () => {
    const urumqi = new CallingHours([{ start: '09:00', end: '17:00', timeZone: 'Asia/Urumqi' }]);
    expect(urumqi.isOpen(at('2026-11-23T01:30:00Z'))).toBe(false);
    expect(urumqi.nextOpening(at('2026-11-23T01:30:00Z'))).toBe(at('2026-11-23T03:00:00Z'));
  });

  test('no windows: always open; bad windows are refused by field', () => {
    expect(new CallingHours([]).isOpen(0)).toBe(true);
    expect(() => new CallingHours([{ start: '9am', end: '17:00' }])).toThrow(InputError);
    expect(() => new CallingHours([{ start: '18:00', end: '09:00' }])).toThrow(/ends \(09:00\) before it starts/);
    expect(() => new CallingHours([{ start: '09:00', end: '17:00', timeZone: 'Mars/Olympus' }])).toThrow(/unknown time zone/);
  });
});
