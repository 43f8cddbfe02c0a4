import { Clock } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { CallOutcome, causeText, outcomeForCause, Q850 } from '../core/q850';
import { Span } from './span';
import { OutboundSetup } from '../signalling/span-signalling';
import { TrunkCall } from './trunk-call';
import { ANY_TRUNK_RULE, checkDialledNumber } from '../core/dialled-number';

export interface DialRequest {
  /** Digits to dial (0-9, *, #), 1-31 of them. */
  number: string;
  /** Calling number to present. */
  callerId?: string;
  /** Withhold the calling number where the trunk can (CLIR on mobile trunks). */
  withholdCallerId?: boolean;
  /** How long to let the call ring before giving up (default 45 s). */
  ringTimeoutSec?: number;
  /** In-band analysis of the call where the trunk can (E1): early media, and who answered within the bound. */
  inband?: OutboundSetup['inband'];
  /** Gives the call up (cause 16) if this settles before the answer: e.g. the caller of a patched call hung up. */
  until?: Promise<unknown>;
}

export interface DialResult {
  outcome: CallOutcome;
  cause: number;
  causeText: string;
  /** Id of the last attempt (absent when no channel could be had). */
  callId?: string;
  span?: number;
  channel?: number;
  /** Channel attempts made (more than 1 after glare). */
  attempts: number;
  /** From dial() to answer or failure, in ms. */
  setupMs: number;
  /** The live call when answered: hang it up and await `ended`. */
  call?: TrunkCall;
}

/** What pacing and campaigns need from the trunk side; TrunkGroup is the live one. */
export interface Dialer {
  dial(req: DialRequest): Promise<DialResult>;
  /** Channels that could take a new call right now. */
  idleChannels(): number;
}

export interface TrunkGroupOptions {
  clock: Clock;
  logger?: Logger;
  /** Channel attempts per dial when the far end takes or refuses our channel (default 3). */
  maxChannelAttempts?: number;
  defaultRingTimeoutSec?: number;
}

/**
 * Every channel tried was taken by the far end (glare) or refused as a channel (cause
 * 44, 6), and no other was left to try: the number was never really dialled, so this is
 * "no free channel" (a campaign gives the attempt back and tries again in seconds), not
 * the network's congestion (counted against the number, retried after a minute). The
 * far end's cause is kept for the record.
 */
function channelRefused(last: DialResult): DialResult {
  return { ...last, outcome: 'no_free_channel' };
}

/**
 * A group of spans dialled as one: picks the channel, runs the ring timer, retries
 * on another channel after glare, and turns the call's end into an outcome.
 */
export class TrunkGroup implements Dialer {
  private readonly clock: Clock;
  private readonly logger: Logger;

  private readonly members: Span[];

  constructor(
    spans: readonly Span[],
    private readonly opts: TrunkGroupOptions,
  ) {
    this.members = [...spans];
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
  }

  get spans(): readonly Span[] {
    return this.members;
  }

  /** A span joining while the group is in use (a GSM module plugged in and adopted): dialled from the next call on. */
  addSpan(span: Span): void {
    if (!this.members.includes(span)) this.members.push(span);
  }

  idleChannels(): number {
    let n = 0;
    for (const s of this.spans) n += s.idleCount();
    return n;
  }

  totalChannels(): number {
    return this.spans.reduce((n, s) => n + s.channels.length, 0);
  }

  leakedChannels() {
    return this.spans.flatMap((s) => s.leakedChannels());
  }

  /**
   * Resolves true once every channel of every span is in service (Span.inService:
   * link up, channels restored, none blocked by the far end; channels carrying
   * calls count), or false when the timeout passes first. Calls in progress do not
   * hold it back: a gateway whose nailed-up remote agent keeps a leg up is ready.
   */
  whenReady(timeoutMs = 10_000): Promise<boolean> {
    const start = this.clock.now();
    return new Promise((resolve) => {
      const check = () => {
        const ready = this.spans.every((s) => s.inService());
        if (ready) return resolve(true);
        if (this.clock.now() - start >= timeoutMs) return resolve(false);
        this.clock.setTimer(10, check);
      };
      check();
    });
  }

  async dial(req: DialRequest): Promise<DialResult> {
    checkDialledNumber('dial.number', req.number, ANY_TRUNK_RULE);
    checkDialledNumber('dial.callerId', req.callerId ?? '', ANY_TRUNK_RULE, { optional: true });
    const ringMs = (req.ringTimeoutSec ?? this.opts.defaultRingTimeoutSec ?? 45) * 1000;
    const started = this.clock.now();
    const tried = new Map<Span, Set<number>>();
    const maxAttempts = this.opts.maxChannelAttempts ?? 3;
    /** The channel just tried was taken or refused (not the number, not the network): worth another channel. */
    let refused: DialResult | undefined;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const picked = this.hunt(tried);
      if (!picked) {
        if (refused) return channelRefused(refused);
        // With every link down, say so rather than "busy": the fix is on the line, not in the load.
        const linkDown = this.spans.every((s) => !s.linkUp);
        const cause = linkDown ? Q850.NETWORK_OUT_OF_ORDER : Q850.NO_CIRCUIT_AVAILABLE;
        return {
          outcome: linkDown ? 'link_down' : 'no_free_channel',
          cause,
          causeText: causeText(cause),
          attempts: 0,
          setupMs: this.clock.now() - started,
        };
      }
      const { span, channel } = picked;
      if (!tried.has(span)) tried.set(span, new Set());
      tried.get(span)!.add(channel.number);

      const call = span.placeCall(channel, {
        number: req.number,
        callerId: req.callerId || undefined,
        withholdCallerId: req.withholdCallerId,
        inband: req.inband,
      });
      const ringTimer = this.clock.setTimer(ringMs, () => {
        if (call.state === 'setup') call.hangup(Q850.NO_ANSWER);
      });
      void req.until?.then(() => {
        if (call.state === 'setup') call.hangup(Q850.NORMAL_CLEARING);
      });
      const settled = await call.settled;
      ringTimer.cancel();
      const base = { callId: call.id, span: span.id, channel: channel.number, attempts: attempt, setupMs: this.clock.now() - started };
      if (settled.answered) {
        return { ...base, outcome: 'answered', cause: Q850.NORMAL_CLEARING, causeText: causeText(Q850.NORMAL_CLEARING), call };
      }
      const result: DialResult = { ...base, outcome: outcomeForCause(settled.cause), cause: settled.cause, causeText: settled.causeText };
      // The far end took or refused this channel: try another one.
      const channelProblem =
        call.lostToGlare || settled.cause === Q850.REQUESTED_CHANNEL_UNAVAILABLE || settled.cause === Q850.CHANNEL_UNACCEPTABLE;
      if (!channelProblem) return result;
      refused = result;
      this.logger.debug('channel refused, retrying on another', { call: call.id, cause: settled.cause, glare: call.lostToGlare });
    }
    return channelRefused(refused!);
  }

  /** Highest idle channel, spans from the last one down. */
  private hunt(tried: Map<Span, Set<number>>): { span: Span; channel: NonNullable<ReturnType<Span['hunt']>> } | undefined {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const span = this.spans[i];
      const channel = span.hunt(tried.get(span));
      if (channel) return { span, channel };
    }
    return undefined;
  }
}
