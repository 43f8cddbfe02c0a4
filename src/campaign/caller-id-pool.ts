import { InputError } from '../core/errors';
import { normaliseChinaNumber } from './china-number';

/**
 * The calling numbers a campaign presents (mobiles, landlines with area code,
 * 400 numbers), used in turn so that no single number carries all the calls.
 */
export class CallerIdPool {
  private readonly numbers: string[];
  private next = 0;

  constructor(numbers: readonly string[], where = 'caller_ids') {
    this.numbers = numbers.map((n, i) => {
      const r = normaliseChinaNumber(n);
      if (!r.ok) throw new InputError(`${where}[${i}]`, r.reason);
      return r.number;
    });
  }

  get size(): number {
    return this.numbers.length;
  }

  /** The next number in turn, or undefined when the pool is empty (the trunk's default is shown). */
  take(): string | undefined {
    if (!this.numbers.length) return undefined;
    const n = this.numbers[this.next];
    this.next = (this.next + 1) % this.numbers.length;
    return n;
  }
}
