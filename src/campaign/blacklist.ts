import { normaliseChinaNumber } from './china-number';

/**
 * Numbers never to be dialled. Entries are normalised like list numbers, so
 * "0755-1234 5678" on the blacklist blocks "075512345678" in a list.
 */
export class Blacklist {
  private readonly numbers = new Set<string>();

  constructor(entries: Iterable<string> = []) {
    for (const e of entries) this.add(e);
  }

  add(entry: string): void {
    const r = normaliseChinaNumber(entry);
    this.numbers.add(r.ok ? r.number : entry.replace(/[^0-9]/g, ''));
  }

  has(number: string): boolean {
    if (this.numbers.has(number)) return true;
    const r = normaliseChinaNumber(number);
    return r.ok && this.numbers.has(r.number);
  }

  get size(): number {
    return this.numbers.size;
  }
}
