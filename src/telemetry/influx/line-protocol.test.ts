import { InputError } from '../../core/errors';
import { encodePoint } from './line-protocol';

describe('Influx line protocol', () => {
  it('writes tags sorted and escaped, integers with i and pacing ratios as floats', () => {
    const line = encodePoint({
      measurement: 'pacing',
      tags: { gateway: 'gw 1', campaign: 'spring,sale=2' },
      fields: { dial_level: 1, occupancy: 0.85, abandonment: 0, dialled: 12 },
      timeMs: 1700000000123,
    });
    expect(line).toBe(
      'pacing,campaign=spring\\,sale\\=2,gateway=gw\\ 1 dial_level=1.0,occupancy=0.85,abandonment=0.0,dialled=12i 1700000000123',
    );
  });

  it('refuses any tag other than gateway, span and campaign, so numbers and call ids never become series', () => {
    const bad = {
      measurement: 'calls' as const,
      tags: { gateway: 'g', number: '13800138000' } as never,
      fields: { answered: 1 },
      timeMs: 1,
    };
    expect(() => encodePoint(bad)).toThrow(InputError);
    expect(() => encodePoint(bad)).toThrow(/tag 'number' is not allowed/);
  });

  it('refuses a fractional count and a non-finite ratio, naming the field', () => {
    expect(() => encodePoint({ measurement: 'channels', tags: { gateway: 'g' }, fields: { idle: 1.5 }, timeMs: 1 })).toThrow(
      /field 'idle' must be an integer/,
    );
    expect(() => encodePoint({ measurement: 'pacing', tags: { gateway: 'g' }, fields: { occupancy: NaN }, timeMs: 1 })).toThrow(
      /field 'occupancy' is NaN/,
    );
  });
});
