import { InputError } from '../core/errors';
import { CHINA } from '../signalling/r2/variants';
import { r2VariantForSpan } from './r2-site-variant';

describe('R2 variant from a site span', () => {
  it('starts from the China table and applies the category, DNIS limit and timer overrides', () => {
    const v = r2VariantForSpan({ variant: 'cn', category: 2, maxDnis: 12, overrides: { mfCycleMs: 3000 } }, 'span 3');
    expect(v.forward.category).toBe(2);
    expect(v.maxDnisDigits).toBe(12);
    expect(v.timers.mfCycleMs).toBe(3000);
    expect(v.timers.seizeAckMs).toBe(CHINA.timers.seizeAckMs);
    expect(v.line).toEqual(CHINA.line);
  });

  it('names an override the engine does not know instead of dropping it', () => {
    expect(() => r2VariantForSpan({ overrides: { mfCylceMs: 3000 } }, 'span 3')).toThrow(InputError);
    expect(() => r2VariantForSpan({ overrides: { mfCylceMs: 3000 } }, 'span 3')).toThrow(
      /span 3\.r2\.overrides\.mfCylceMs: not an R2 setting/,
    );
    expect(() => r2VariantForSpan({ overrides: { answerMs: 'long' } }, 'span 4')).toThrow(
      /span 4\.r2\.overrides\.answerMs: a timer must be a number of ms/,
    );
    expect(() => r2VariantForSpan({ overrides: { answerMs: -5 } }, 'span 4')).toThrow(/answerMs: must be a positive number of ms/);
  });
});
