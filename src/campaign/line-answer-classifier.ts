import { AnsweredBy } from '../core/call-events';
import { Clock } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { TrunkCall } from '../controller/trunk-call';
import { AnswerClassifier, AnswerKind } from './answer-classifier';

export interface LineAnswerClassifierOptions {
  clock: Clock;
  logger?: Logger;
}

/**
 * Frames of slack after the line's own promise: the detector counts 20 ms frames
 * from the answer the line saw, and the controller hears of that answer a moment
 * later, so the limit measured here starts slightly late.
 */
const VERDICT_GRACE_MS = 100;

/**
 * Answering-machine detection from what the line itself says about who answered
 * (the call's 'answered-by' event: analog lines run AMD on the line audio). Waits
 * no longer than the line promised when it answered: a call is never held on a
 * silent detector. A call whose line makes no such promise (a digital trunk in the
 * same group) goes to a seat, as it would with no classifier at all.
 */
export class LineAnswerClassifier implements AnswerClassifier {
  private readonly logger: Logger;

  constructor(private readonly opts: LineAnswerClassifierOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  async classify(call: TrunkCall): Promise<AnswerKind> {
    const by = call.answeredBy ?? (await this.awaitVerdict(call));
    if (by === undefined) return 'human';
    this.logger.debug('answered by', { callId: call.id, by });
    return kindOf(by);
  }

  /** The verdict, or undefined when the line gives none, the call ended, or the promised time ran out. */
  private awaitVerdict(call: TrunkCall): Promise<AnsweredBy | undefined> {
    const due = call.answeredByDueAt;
    if (due === undefined || call.state === 'ended') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let settled = false;
      const done = (by: AnsweredBy | undefined) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve(by);
      };
      const timer = this.opts.clock.setTimer(Math.max(0, due - this.opts.clock.now()) + VERDICT_GRACE_MS, () => {
        this.logger.warn('no verdict on who answered within the time the line promised: taken for a person', { callId: call.id });
        done(undefined);
      });
      call.on((ev) => {
        if (ev.type === 'answered-by') done(ev.by);
      });
      void call.ended.then(() => done(undefined));
    });
  }
}

/**
 * Undecided goes to a person: as with app_amd's NOTSURE, dropping a live customer
 * (an abandoned call under the regulator's rule) costs more than an agent hearing a
 * machine now and then. An announcement or a fax is no one to talk to: dropped like a machine.
 */
function kindOf(by: AnsweredBy): AnswerKind {
  return by === 'machine' || by === 'announcement' || by === 'fax' ? 'machine' : 'human';
}
