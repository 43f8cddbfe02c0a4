import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { PrivacyCalls } from '../privacy/privacy-call';
import { PrivacyNumbers } from '../privacy/privacy-numbers';
import { InboundQueue } from './inbound-queue';
import { InboundRule, matchInboundRule } from './inbound-rules';

export interface IncomingCallsOptions {
  rules: readonly InboundRule[];
  /** The queue of each answer group that takes incoming calls. */
  queues: ReadonlyMap<string, InboundQueue>;
  /** The trunk group of a span, for rules by trunk group. */
  trunkGroupOf: (span: number) => string | undefined;
  privacy?: { numbers: PrivacyNumbers; calls: PrivacyCalls };
  logger?: Logger;
}

/**
 * What the gateway does with a call the network offers, on any span of any
 * signalling (it is every span's `onIncoming`): a call to a privacy number goes
 * to its binding; any other goes to the queue of the answer group the inbound
 * rules name; a call no rule takes is rejected with cause 21.
 */
export class IncomingCalls {
  private readonly logger: Logger;
  readonly counts = { offered: 0, privacy: 0, queued: 0, rejected: 0 };

  constructor(private readonly opts: IncomingCallsOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  offer(call: TrunkCall): void {
    this.counts.offered++;
    const x = this.opts.privacy?.numbers.poolNumber(call.number);
    if (x !== undefined) {
      this.counts.privacy++;
      void this.opts.privacy!.calls.incoming(call, x).catch((err: unknown) => {
        this.logger.warn('privacy call failed', { call: call.id, err: String(err) });
        call.hangup(Q850.TEMPORARY_FAILURE);
      });
      return;
    }
    const rule = matchInboundRule(this.opts.rules, call.number, this.opts.trunkGroupOf(call.span));
    const queue = rule && this.opts.queues.get(rule.answerGroup);
    if (!queue) {
      this.counts.rejected++;
      this.logger.info('incoming call matches no inbound rule: rejected', { call: call.id, span: call.span });
      call.hangup(Q850.CALL_REJECTED);
      return;
    }
    this.counts.queued++;
    queue.offer(call);
  }

  queueFigures() {
    return [...this.opts.queues.values()].map((q) => q.figures());
  }
}
