import { normaliseChinaNumber } from './china-number';

/**
 * Numbers never to be dialled. Entries are normalised like list numbers, so
 * "0755-1234 5678" on the blacklist blocks "075512345678" in a list.
 */
export class Blacklist {
  private readonly entries = new Set<string>();

  constructor(entries: Iterable<string> = []) {
    for (const e of entries) this.add(e);
  }

  add(entry: string): void {
    const r = normaliseChinaNumber(entry);
    this.entries.add(r.ok ? r.number : entry.replace(/[^0-9]/g, ''));
  }

  has(number: string): boolean {
    if (this.entries.has(number)) return true;
    const r = normaliseChinaNumber(number);
    return r.ok && this.entries.has(r.number);
  }

  /** Every entry, normalised. */
  numbers(): string[] {
    return [...this.entries];
  }

  get size(): number {
    return this.entries.size;
  }
}
