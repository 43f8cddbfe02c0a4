import type { AnsweredBy } from '../core/call-events';

/**
 * The seam between a span's signalling (PRI, R2, TUP/ISUP, FXO) and the controller.
 * A signalling module turns controller requests into protocol messages and protocol
 * messages into SignallingEvents; it keeps no channel state of its own beyond what
 * its protocol needs. The controller's Span owns the channel state machines.
 */

/** Opaque per-call handle a signalling module issues; compared by identity. */
export interface SignallingCall {
  readonly id: number;
}

export interface OutboundSetup {
  number: string;
  callerId?: string;
  /** Ask the network to withhold the calling number (CLIR; a modem dials ATD<number>I;). */
  withholdCallerId?: boolean;
  /**
   * Listen to this call's audio (where the span can): call progress in early media,
   * and who answered within `maxAnalysisMs` of the answer (answering-machine detection).
   */
  inband?: { maxAnalysisMs: number };
}

export type SignallingEvent =
  | { type: 'link-up' }
  | { type: 'link-down'; reason: string }
  /** A channel may be used again (e.g. RESTART ACKNOWLEDGE, unblocking). */
  | { type: 'channel-in-service'; channel: number }
  /**
   * The far end reset or blocked a channel; any call on it is gone, with `cause` (default
   * 41, temporary failure: the channel was reset; 38 when the channel's network is gone).
   */
  | { type: 'channel-out-of-service'; channel: number; reason: string; cause?: number }
  | { type: 'offered'; call: SignallingCall; channel: number; number: string; callerId?: string }
  | { type: 'proceeding'; call: SignallingCall }
  | { type: 'alerting'; call: SignallingCall; inbandAudio: boolean }
  | { type: 'progress'; call: SignallingCall; inbandAudio: boolean }
  /**
   * The far end answered. A line that also tells who answered (analog AMD) says
   * within how long its 'answered-by' follows; without it, none will.
   */
  | { type: 'answered'; call: SignallingCall; answeredByWithinMs?: number }
  | { type: 'answered-by'; call: SignallingCall; by: AnsweredBy; reason?: string }
  /** Final for this call: the handle is dead afterwards and its channel is free on the wire. */
  | { type: 'released'; call: SignallingCall; cause: number; by: 'local' | 'remote' };

export type SignallingKind = 'pri-cpe' | 'pri-net' | 'r2-cn' | 'fxo' | 'ss7-tup' | 'ss7-isup' | 'gsm';

/** A signalling link's detail for telemetry, where the signalling has links (No.7). */
export interface SignallingLinkStatus {
  /** Each link: e.g. { name: 'span 1 TS16', state: 'in-service/available' } (MTP2 state / MTP3 state). */
  links: { name: string; state: string }[];
  /** Route to the far end's point code: 'available' or 'unavailable'. */
  route: 'available' | 'unavailable';
  /** Channels blocked at either end (maintenance, far-end blocking). */
  blockedChannels: number;
}

export interface SpanSignalling {
  readonly kind: SignallingKind;
  /** Bearer channel numbers this span carries (E1 PRI: 1-15, 17-31). */
  readonly bearerChannels: readonly number[];
  /** Whether the signalling link is up (D-channel, SS7 link, CAS with no alarm). */
  readonly linkUp: boolean;
  /** Subscribes to the span's events; returns the function that unsubscribes. */
  onEvent(listener: (ev: SignallingEvent) => void): () => void;
  /** Sends a call setup on the given channel (exclusive). */
  setup(channel: number, setup: OutboundSetup): SignallingCall;
  answer(call: SignallingCall): void;
  /**
   * Tells the caller of an offered call that the called party is being rung (PRI
   * ALERTING, No.7 ACM), where the signalling can say so: a call the controller
   * holds unanswered (a privacy call while the far party rings) is not timed out.
   */
  alerting?(call: SignallingCall): void;
  /** Starts clearing; a 'released' event follows. Idempotent. */
  hangup(call: SignallingCall, cause: number): void;
  /** Link detail for telemetry, where the signalling has one (No.7: MTP2/MTP3 state, blocked circuits). */
  linkStatus?(): SignallingLinkStatus;
  /** Asks the far end to return a channel to idle (e.g. Q.931 RESTART). */
  resetChannel(channel: number): void;
  /**
   * False while the far end holds a channel the controller cannot see yet (an R2
   * seizure still signalling its number, before 'offered'): not to be hunted or
   * counted idle. Absent: every channel the controller thinks idle is free.
   */
  channelFree?(channel: number): boolean;
  close(): Promise<void>;
}
