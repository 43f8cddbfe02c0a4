import { InputError } from '../core/errors';

/**
 * The site's inbound rules: which answer group takes a call, by the number the
 * caller dialled and the trunk group it came in on. The first rule that matches
 * wins; a call no rule matches is rejected (cause 21), as before inbound existed.
 * `called` is a number, or a prefix ending in '*' ("4008*"); absent, any number.
 */
export interface InboundRule {
  called?: string;
  trunkGroup?: string;
  answerGroup: string;
}

const CALLED = /^[0-9+]{1,31}\*?$|^\*$/;

export function checkInboundRules(rules: readonly InboundRule[], answerGroups: readonly string[], trunkGroups: readonly string[]): void {
  rules.forEach((r, i) => {
    const where = `inbound.rules[${i}]`;
    if (r.called !== undefined && !CALLED.test(r.called))
      throw new InputError(`${where}.called`, `'${r.called}' is not a number or a prefix ending in '*'`);
    if (!answerGroups.includes(r.answerGroup))
      throw new InputError(`${where}.answerGroup`, `no answer group '${r.answerGroup}' (${answerGroups.join(', ') || 'none'})`);
    if (r.trunkGroup !== undefined && !trunkGroups.includes(r.trunkGroup))
      throw new InputError(`${where}.trunkGroup`, `no trunk group '${r.trunkGroup}' (${trunkGroups.join(', ') || 'none'})`);
  });
}

/** The answer group for a call to `called` arriving on `trunkGroup`, or undefined. */
export function matchInboundRule(rules: readonly InboundRule[], called: string, trunkGroup: string | undefined): InboundRule | undefined {
  return rules.find((r) => {
    if (r.trunkGroup !== undefined && r.trunkGroup !== trunkGroup) return false;
    if (r.called === undefined || r.called === '*') return true;
    return r.called.endsWith('*') ? called.startsWith(r.called.slice(0, -1)) : called === r.called;
  });
}
