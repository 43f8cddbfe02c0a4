import { normaliseChinaNumber } from './china-number';

describe('normaliseChinaNumber', () => {
  test.each([
    ['13812345678', '13812345678', 'mobile'],
    ['+86 138 1234 5678', '13812345678', 'mobile'],
    ['008613812345678', '13812345678', 'mobile'],
    ['8613812345678', '13812345678', 'mobile'],
    ['0755-12345678', '075512345678', 'landline'],
    ['(010) 8765 4321', '01087654321', 'landline'],
    ['+86 21 12345678', '02112345678', 'landline'],
    ['0871-1234567', '08711234567', 'landline'],
    ['400-123-4567', '4001234567', 'service'],
    ['8001234567', '8001234567', 'service'],
  ])('%s -> %s (%s)', (input, number, kind) => {
    expect(normaliseChinaNumber(input)).toEqual({ ok: true, number, kind });
  });

  test.each([
    ['', /empty/],
    ['1381234567', /11-digit mobile/],
    ['12345678901', /11-digit mobile/],
    ['87654321', /without an area code/],
    ['075512', /valid area code/],
    ['+1 415 555 0100', /not a mainland China number/],
    ['138abc45678', /not digits/],
    ['40012345678', /not a mobile, landline or 400/],
    ['4001234', /without an area code/],
  ])('%s is refused with a reason', (input, reason) => {
    const r = normaliseChinaNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  test('a local number takes the default area code when one is given', () => {
    expect(normaliseChinaNumber('87654321', { defaultAreaCode: '0755' })).toEqual({ ok: true, number: '075587654321', kind: 'landline' });
  });
});
