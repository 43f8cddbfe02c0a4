import { Unsubscribe } from '../../src/core/emitter';

/**
 * An HDLC signalling link as a signalling stack sees it: whole frames in and out, a
 * readable notification, and the span's alarm state. A PRI D-channel (LAPD on TS16)
 * and a No.7 signalling link (MTP2 on any timeslot) are both this. On a board the
 * frames come from a DAHDI hardhdlc (or mtp2) descriptor (drivers/dahdi); in tests
 * and the simulator from an in-memory pair (simulator/ports). Frames carry the 2 FCS
 * bytes libpri and libss7 expect.
 *
 * send() and receive() stay synchronous: DAHDI takes or gives one frame per call
 * without blocking, and libpri/libss7 call them from inside their own C callbacks.
 */
export type FrameDirection = 'tx' | 'rx';

export interface SignallingLinkPort {
  /** Queues one frame for the far end. Never blocks; never re-enters the caller. */
  send(frame: Uint8Array): void;
  /** The next received frame, or undefined when none is waiting. */
  receive(): Uint8Array | undefined;
  /** Called (asynchronously) when one or more frames are waiting. */
  onReadable(listener: () => void): Unsubscribe;
  /** Called when the layer-1 alarm state of the link changes (true = in alarm). */
  onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe;
  /** Sees every frame sent and received (for captures). */
  tap(listener: (dir: FrameDirection, frame: Uint8Array) => void): Unsubscribe;
  close(): Promise<void>;
}

/** A PRI D-channel: LAPD frames on TS16. */
export type DChannelTransport = SignallingLinkPort;

/**
 * A No.7 signalling link: MTP2 frames (FISU, LSSU, MSU) on one timeslot. On DAHDI
 * the channel is opened in MTP2 mode, where the driver drops repeated FISUs.
 */
export type Mtp2LinkPort = SignallingLinkPort;
