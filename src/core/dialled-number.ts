import { InputError } from './errors';

/**
 * The one check of a number about to be dialled. What a line can carry depends on
 * its signalling, so each module names its rule and they all check the same way:
 *  - any trunk (TrunkGroup.dial, before a span is chosen): 0-9 * #, 1-31 digits,
 *    the widest any of our signalling carries (Q.931's called-party IE);
 *  - Q.931 (PRI): 0-9 * #, up to 31;
 *  - DTMF (analog lines): 0-9 * #, up to 31;
 *  - ATD (GSM/LTE modules): 0-9 * #, up to 31 (the module's own dial-string limit is longer);
 *  - R2 MF (China No.1): 0-9 only (MF signals 1-10), up to the variant's DNIS limit,
 *    so a number the far register would refuse is refused before a circuit is seized.
 * Empty is refused, except for an optional calling number (no CLI presented).
 */
export interface DialRule {
  /** What carries it, for the error message: "R2 MF", "Q.931". */
  readonly carrier: string;
  /** Whether * and # can be sent. */
  readonly starHash: boolean;
  readonly maxDigits: number;
}

export const ANY_TRUNK_RULE: DialRule = { carrier: 'a trunk', starHash: true, maxDigits: 31 };
export const Q931_RULE: DialRule = { carrier: 'Q.931', starHash: true, maxDigits: 31 };
export const DTMF_RULE: DialRule = { carrier: 'DTMF', starHash: true, maxDigits: 31 };
/** What ATD<number>; may carry: 0-9 * #, so nothing in a number can become another AT command. */
export const ATD_RULE: DialRule = { carrier: 'a GSM module (ATD)', starHash: true, maxDigits: 31 };

export function r2MfRule(maxDigits: number): DialRule {
  return { carrier: 'R2 MF', starHash: false, maxDigits };
}

/** Throws InputError naming `field` when `number` cannot be dialled under `rule`. */
export function checkDialledNumber(field: string, number: string, rule: DialRule, opts: { optional?: boolean } = {}): void {
  if (opts.optional && number === '') return;
  const chars = rule.starHash ? /^[0-9*#]+$/ : /^[0-9]+$/;
  const alphabet = rule.starHash ? '0-9 * #' : '0-9';
  if (number.length === 0 || number.length > rule.maxDigits || !chars.test(number)) {
    const shown = number.length > 40 ? `${number.slice(0, 40)}...` : number;
    throw new InputError(field, `'${shown}' is not a diallable number on ${rule.carrier} (1-${rule.maxDigits} of ${alphabet})`);
  }
}
