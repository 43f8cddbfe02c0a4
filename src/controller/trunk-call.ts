import { AnsweredBy, CallDirection, CallEvent } from '../core/call-events';
import { Clock } from '../core/clock';
import { causeText } from '../core/q850';
import { SignallingCall } from '../signalling/span-signalling';
import { Emitter, Unsubscribe } from '../core/emitter';

export interface CallRelease {
  cause: number;
  causeText: string;
  by: 'local' | 'remote' | 'fault';
  at: number;
}

/** The first thing that settles a call: it was answered, or it ended before that. */
export type CallSettlement = { answered: true; at: number } | ({ answered: false } & CallRelease);

export type CallLifecycle = 'setup' | 'answered' | 'ended';

/**
 * One call on one trunk channel, as the controller holds it. Created by a Span,
 * driven by signalling events, ended exactly once.
 */
export class TrunkCall {
  private readonly events = new Emitter<[ev: CallEvent]>();
  private lifecycle: CallLifecycle = 'setup';
  private settleFn!: (s: CallSettlement) => void;
  private endFn!: (r: CallRelease) => void;
  /** Resolves when the call is answered or ends unanswered. */
  readonly settled: Promise<CallSettlement>;
  /** Resolves when the call has ended and its channel is free. */
  readonly ended: Promise<CallRelease>;
  private clearing = false;
  /** Set when the far end took the channel for its own call (glare). */
  lostToGlare = false;
  readonly startedAt: number;
  answeredAt: number | undefined;
  /** Who answered, once the line has said (analog AMD); undefined before, or when it never will. */
  answeredBy: AnsweredBy | undefined;
  /** Why the line said so (AMD's reason, 'INFO-TONE', 'CED', ...). */
  answeredByReason: string | undefined;
  /** Clock time by which the line promised to say who answered; undefined when it will not say. */
  answeredByDueAt: number | undefined;

  constructor(
    readonly id: string,
    readonly direction: CallDirection,
    readonly span: number,
    readonly channel: number,
    readonly number: string,
    readonly callerId: string | undefined,
    readonly token: SignallingCall,
    private readonly clock: Clock,
    private readonly requestHangup: (call: TrunkCall, cause: number) => void,
  ) {
    this.startedAt = clock.now();
    this.settled = new Promise((r) => (this.settleFn = r));
    this.ended = new Promise((r) => (this.endFn = r));
  }

  get state(): CallLifecycle {
    return this.lifecycle;
  }

  on(listener: (ev: CallEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Starts clearing the call; the first request's cause stands, later ones and hang-ups after the end are no-ops. */
  hangup(cause = 16): void {
    if (this.lifecycle === 'ended' || this.clearing) return;
    this.clearing = true;
    this.requestHangup(this, cause);
  }

  /** @internal Called by the Span. */
  emit(ev: CallEvent): void {
    this.events.emit(ev);
  }

  /** @internal `answeredByWithinMs`: the line will say who answered within this long. */
  markAnswered(answeredByWithinMs?: number): void {
    if (this.lifecycle !== 'setup') return;
    this.lifecycle = 'answered';
    this.answeredAt = this.clock.now();
    if (answeredByWithinMs !== undefined) this.answeredByDueAt = this.answeredAt + answeredByWithinMs;
    this.emit({ type: 'answered', callId: this.id, span: this.span, channel: this.channel, at: this.answeredAt });
    this.settleFn({ answered: true, at: this.answeredAt });
  }

  /** @internal The line's verdict on who answered; the first one stands. */
  markAnsweredBy(by: AnsweredBy, reason?: string): void {
    if (this.lifecycle !== 'answered' || this.answeredBy !== undefined) return;
    this.answeredBy = by;
    this.answeredByReason = reason;
    this.emit({
      type: 'answered-by',
      callId: this.id,
      span: this.span,
      channel: this.channel,
      at: this.clock.now(),
      by,
      ...(reason ? { reason } : {}),
    });
  }

  /** @internal Ends the call once; later calls are ignored. */
  finish(cause: number, by: CallRelease['by']): void {
    if (this.lifecycle === 'ended') return;
    const release: CallRelease = { cause, causeText: causeText(cause), by, at: this.clock.now() };
    const wasAnswered = this.lifecycle === 'answered';
    this.lifecycle = 'ended';
    this.emit({
      type: 'released',
      callId: this.id,
      span: this.span,
      channel: this.channel,
      at: release.at,
      cause,
      causeText: release.causeText,
      by,
    });
    if (!wasAnswered) this.settleFn({ answered: false, ...release });
    this.endFn(release);
    this.events.clear();
  }
}
