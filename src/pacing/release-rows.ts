/**
 * Release rows by age cell, flat: ages within one cell (the duration model's own
 * grid: a second for talk, half one for wrap-up) share a row, worked out when first
 * asked after a clear. One spare row at the end for ages beyond the last cell.
 */
export class ReleaseRows {
  table = new Float64Array(0);
  readonly stamp: Int32Array;
  generation = 1;
  width = 0;

  constructor(
    readonly cellMs: number,
    readonly cells: number,
  ) {
    this.stamp = new Int32Array(cells);
  }

  clear(width: number): void {
    this.generation++;
    if (width !== this.width) {
      this.width = width;
      this.table = new Float64Array((this.cells + 1) * width);
    }
  }
}
