import { Clock } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { TrunkCall } from '../controller/trunk-call';
import { AmdResult } from '../dsp/amd';
import { FxoSpanSignalling } from '../signalling/fxo/fxo-span-signalling';
import { SignallingCall } from '../signalling/span-signalling';
import { AnswerClassifier, AnswerKind } from './answer-classifier';

export interface FxoAmdClassifierOptions {
  clock: Clock;
  /** The FXO boards, by the span id the controller gave each. */
  spans: ReadonlyMap<number, FxoSpanSignalling>;
  logger?: Logger;
}

/**
 * Frames of slack after the AMD's own analysis limit: the detector counts 20 ms
 * frames from the answer the line saw, and the controller hears of that answer a
 * moment later, so the limit measured here starts slightly late.
 */
const VERDICT_GRACE_MS = 100;

/**
 * Answering-machine detection for calls on analog FXO lines, from the verdict the
 * line engine already reaches on the line audio (FxoSpanSignalling's 'amd' report
 * for that very call). Waits no longer than the detector's own maximum analysis
 * time: a call is never held on a silent detector.
 */
export class FxoAmdClassifier implements AnswerClassifier {
  /** Verdicts heard before the campaign asked (a voice answer can decide at once, on replayed audio). */
  private readonly verdicts = new WeakMap<SignallingCall, AmdResult>();
  private readonly waiting = new Map<SignallingCall, (r: AmdResult) => void>();
  private readonly logger: Logger;

  constructor(private readonly opts: FxoAmdClassifierOptions) {
    this.logger = opts.logger ?? silentLogger;
    for (const sig of opts.spans.values()) {
      sig.onReport((r) => {
        if (r.type !== 'amd') return;
        const waiter = this.waiting.get(r.call);
        if (waiter) waiter(r.result);
        else this.verdicts.set(r.call, r.result);
      });
    }
  }

  async classify(call: TrunkCall): Promise<AnswerKind> {
    const sig = this.opts.spans.get(call.span);
    // A call on a digital trunk in the same group has no line AMD: it goes to a seat
    // as it would with no classifier at all.
    if (!sig) return 'human';
    const result = this.verdicts.get(call.token) ?? (await this.awaitVerdict(call, sig));
    if (!result) return 'human';
    this.logger.debug('fxo amd', { callId: call.id, verdict: result.verdict, reason: result.reason, atMs: result.atMs });
    // NOTSURE means the detector ran out of analysis time without a clear machine
    // pattern; as with app_amd, such calls go to a person: dropping a live customer
    // (an abandoned call under the regulator's rule) costs more than an agent
    // hearing a machine now and then.
    return result.verdict === 'MACHINE' ? 'machine' : 'human';
  }

  /** The verdict, or undefined when the call ended or the analysis time ran out first. */
  private awaitVerdict(call: TrunkCall, sig: FxoSpanSignalling): Promise<AmdResult | undefined> {
    if (call.state === 'ended') return Promise.resolve(undefined);
    const limitMs = sig.lines[call.channel - 1]?.amdMaxAnalysisMs ?? 0;
    return new Promise((resolve) => {
      const done = (r: AmdResult | undefined) => {
        if (!this.waiting.has(call.token)) return;
        this.waiting.delete(call.token);
        timer.cancel();
        resolve(r);
      };
      const timer = this.opts.clock.setTimer(limitMs + VERDICT_GRACE_MS, () => {
        this.logger.warn('no AMD verdict within the analysis time: taken for a person', { callId: call.id, limitMs });
        done(undefined);
      });
      this.waiting.set(call.token, done);
      void call.ended.then(() => done(undefined));
    });
  }
}
