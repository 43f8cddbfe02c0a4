import { FrameClass } from './frame-features';

export interface Segment {
  cls: FrameClass;
  frames: number;
  /** Index of the segment's first frame since the segmenter started. */
  startFrame: number;
}

/**
 * Run-lengths of frame classes with a two-frame confirmation: a single odd frame
 * (a tone edge, a click) is folded into the segment around it, so cadences are
 * measured to within a frame or two.
 */
export class Segmenter {
  private current: Segment | undefined;
  private pending: FrameClass[] = [];
  private frameIndex = 0;

  /** Feeds one frame; returns the segment that closed because of it, if any. */
  push(cls: FrameClass): Segment | undefined {
    const index = this.frameIndex++;
    if (!this.current) {
      this.current = { cls, frames: 1, startFrame: index };
      return undefined;
    }
    if (cls === this.current.cls) {
      this.current.frames += this.pending.length + 1;
      this.pending = [];
      return undefined;
    }
    this.pending.push(cls);
    const n = this.pending.length;
    if (n >= 2 && this.pending[n - 1] === this.pending[n - 2]) {
      const closed = this.current;
      closed.frames += n - 2;
      this.current = { cls, frames: 2, startFrame: index - 1 };
      this.pending = [];
      return closed;
    }
    return undefined;
  }

  /** The segment still growing (its length so far). */
  open(): Segment | undefined {
    return this.current;
  }

  reset(): void {
    this.current = undefined;
    this.pending = [];
  }
}
