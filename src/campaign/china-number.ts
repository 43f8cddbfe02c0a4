/**
 * Number normalisation for mainland China, to the form dialled on the trunk:
 * - mobile: 11 digits starting 13-19 (13812345678)
 * - landline: trunk prefix 0, area code and subscriber number with no dash
 *   (010 and 02x take 8-digit numbers: 01012345678; other area codes 3 digits
 *   and 7-8 digit numbers: 075512345678, 08711234567)
 * - 400 / 800 service numbers: 10 digits (4001234567)
 * Spaces, dashes, dots and brackets are dropped; +86 / 0086 / 86 country
 * prefixes are removed (a landline written with +86 gets its trunk 0 back).
 */
export type ChinaNumberKind = 'mobile' | 'landline' | 'service';

export type NormalisedNumber = { ok: true; number: string; kind: ChinaNumberKind } | { ok: false; reason: string };

export interface NormaliseOptions {
  /** Area code (with its 0) given to 7-8 digit local numbers; without it they are refused. */
  defaultAreaCode?: string;
}

const MOBILE = /^1[3-9]\d{9}$/;
const SERVICE = /^(400|800)\d{7}$/;
const LANDLINE_2DIGIT_AREA = /^0(10|2\d)\d{8}$/;
const LANDLINE_3DIGIT_AREA = /^0[3-9]\d{2}\d{7,8}$/;

export function normaliseChinaNumber(input: string, opts: NormaliseOptions = {}): NormalisedNumber {
  const raw = input.trim();
  if (!raw) return { ok: false, reason: 'empty number' };
  if (/[^0-9+\-\s().]/.test(raw)) return { ok: false, reason: `'${raw}' has characters that are not digits` };
  if (raw.indexOf('+') > 0 || (raw.match(/\+/g)?.length ?? 0) > 1) return { ok: false, reason: `'${raw}': '+' only at the start` };
  let digits = raw.replace(/[^0-9]/g, '');
  const international = raw.startsWith('+') || digits.startsWith('0086');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (raw.startsWith('+')) {
    if (!digits.startsWith('86')) return { ok: false, reason: `'${raw}' is not a mainland China number (+86)` };
    digits = digits.slice(2);
  } else if (/^861[3-9]\d{9}$/.test(digits)) {
    digits = digits.slice(2); // a mobile written with the country code but no '+'
  }
  if (international && /^[2-9]/.test(digits) && !SERVICE.test(digits)) digits = '0' + digits;
  if (MOBILE.test(digits)) return { ok: true, number: digits, kind: 'mobile' };
  if (SERVICE.test(digits)) return { ok: true, number: digits, kind: 'service' };
  if (LANDLINE_2DIGIT_AREA.test(digits) || LANDLINE_3DIGIT_AREA.test(digits)) return { ok: true, number: digits, kind: 'landline' };
  if (/^[2-9]\d{6,7}$/.test(digits)) {
    if (opts.defaultAreaCode && /^0\d{2,3}$/.test(opts.defaultAreaCode)) {
      return normaliseChinaNumber(opts.defaultAreaCode + digits, {});
    }
    return { ok: false, reason: `'${raw}' is a local number without an area code` };
  }
  if (digits.startsWith('1')) return { ok: false, reason: `'${raw}' is not an 11-digit mobile number` };
  if (digits.startsWith('0')) return { ok: false, reason: `'${raw}' is not a landline with a valid area code and number length` };
  return { ok: false, reason: `'${raw}' is not a mobile, landline or 400/800 number` };
}
