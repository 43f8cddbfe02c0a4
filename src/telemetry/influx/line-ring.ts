/** A fixed-capacity FIFO of encoded lines: memory stays bounded whatever happens downstream. */
export class LineRing {
  private readonly slots: (string | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  push(line: string): void {
    if (this.full) throw new RangeError('LineRing is full');
    this.slots[(this.head + this.size) % this.capacity] = line;
    this.size++;
  }

  /** Removes and returns the oldest line. */
  shift(): string | undefined {
    if (!this.size) return undefined;
    const line = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return line;
  }

  /** Removes up to n of the oldest lines. */
  take(n: number): string[] {
    const out: string[] = [];
    while (out.length < n && this.size) out.push(this.shift()!);
    return out;
  }
}
