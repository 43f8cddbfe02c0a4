/**
 * A D-channel (or any HDLC signalling link) as a signalling stack sees it: whole
 * frames in and out, a readable notification, and the span's alarm state. In
 * production the frames come from a DAHDI hardhdlc descriptor; in tests and in the
 * simulator from an in-memory pair. Frames carry the 2 FCS bytes libpri expects.
 */
export type FrameDirection = 'tx' | 'rx';

export interface DChannelTransport {
  /** Queues one frame for the far end. Never blocks; never re-enters the caller. */
  send(frame: Uint8Array): void;
  /** The next received frame, or undefined when none is waiting. */
  receive(): Uint8Array | undefined;
  /** Called (asynchronously) when one or more frames are waiting. */
  onReadable(cb: () => void): void;
  /** Called when the layer-1 alarm state of the link changes (true = in alarm). */
  onAlarm(cb: (inAlarm: boolean, reason: string) => void): void;
  /** Sees every frame sent and received (for captures). */
  tap(cb: (dir: FrameDirection, frame: Uint8Array) => void): void;
  close(): void;
}
