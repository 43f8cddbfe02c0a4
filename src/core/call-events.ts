/**
 * The one call-event vocabulary. PRI, China No.1, China No.7 and analog lines all
 * report calls in these terms, so the controller and the pacing never know which
 * signalling carried a call.
 */
export type CallDirection = 'outbound' | 'inbound';

/**
 * Who or what picked up an answered call, as far as the line can tell: a person,
 * an answering machine, a network or PBX announcement (a China network's message,
 * its 450 Hz information tone), a fax or modem, or undecided (the detector ran out
 * of time, or heard nothing it could classify).
 */
export type AnsweredBy = 'person' | 'machine' | 'announcement' | 'fax' | 'unknown';

interface CallEventBase {
  /** Controller-wide call id, e.g. "s1c31-42". */
  callId: string;
  span: number;
  channel: number;
  /** Clock time in ms. */
  at: number;
}

export type CallEvent =
  | (CallEventBase & { type: 'dialing'; number: string; callerId?: string })
  | (CallEventBase & { type: 'offered'; number: string; callerId?: string })
  | (CallEventBase & { type: 'proceeding' })
  | (CallEventBase & { type: 'alerting'; inbandAudio: boolean })
  | (CallEventBase & { type: 'progress'; inbandAudio: boolean })
  | (CallEventBase & { type: 'answered' })
  /** After 'answered', from a line that classifies answers (analog AMD, in-band analysis on E1); at most once per call. */
  | (CallEventBase & { type: 'answered-by'; by: AnsweredBy; reason?: string })
  | (CallEventBase & { type: 'released'; cause: number; causeText: string; by: 'local' | 'remote' | 'fault' });

export type CallEventType = CallEvent['type'];
