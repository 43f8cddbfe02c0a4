import { InputError } from './errors';
import { ANY_TRUNK_RULE, checkDialledNumber, DTMF_RULE, r2MfRule } from './dialled-number';

describe('checkDialledNumber', () => {
  it('takes digits, * and # on a trunk and refuses letters, spaces, empty and 32 digits', () => {
    expect(() => checkDialledNumber('dial.number', '13800138000', ANY_TRUNK_RULE)).not.toThrow();
    expect(() => checkDialledNumber('dial.number', '*21#', ANY_TRUNK_RULE)).not.toThrow();
    for (const bad of ['12a4', '138 0013', '', '+8613800138000', '1'.repeat(32)]) {
      expect(() => checkDialledNumber('dial.number', bad, ANY_TRUNK_RULE)).toThrow(InputError);
    }
    expect(() => checkDialledNumber('dial.number', '1'.repeat(31), ANY_TRUNK_RULE)).not.toThrow();
  });

  it('R2 MF carries digits only, up to the variant limit', () => {
    const rule = r2MfRule(12);
    expect(() => checkDialledNumber('dial.number', '013800138000', rule)).not.toThrow();
    expect(() => checkDialledNumber('dial.number', '*21#', rule)).toThrow(/R2 MF \(1-12 of 0-9\)/);
    expect(() => checkDialledNumber('dial.number', '0138001380001', rule)).toThrow(InputError);
  });

  it('names the field, and an optional calling number may be empty', () => {
    expect(() => checkDialledNumber('dial.callerId', 'x', DTMF_RULE)).toThrow(/^dial\.callerId: 'x' is not a diallable number on DTMF/);
    expect(() => checkDialledNumber('dial.callerId', '', DTMF_RULE, { optional: true })).not.toThrow();
  });

  it('keeps a very long bad number out of the message', () => {
    try {
      checkDialledNumber('dial.number', '9'.repeat(5000), ANY_TRUNK_RULE);
      throw new Error('no throw');
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(200);
    }
  });
});
