import { AnswerClassifier, AnswerKind } from '../../src/campaign/answer-classifier';
import { TrunkCall } from '../../src/controller/trunk-call';
import { Rng } from '../random';
import { VirtualNetwork } from './virtual-network';

/** Answering-machine detection that errs at the scenario's rates. */
export class SimulatedAmd implements AnswerClassifier {
  constructor(
    private readonly network: VirtualNetwork,
    private readonly falsePositive: number,
    private readonly falseNegative: number,
    private readonly seed: number | string,
  ) {}

  async classify(call: TrunkCall): Promise<AnswerKind> {
    const truth = this.network.truthOn(call.span, call.channel);
    if (!truth) return 'human';
    const r = new Rng(`${this.seed}/amd/${truth.attempt}`).next();
    if (truth.kind === 'human') return r < this.falsePositive ? 'machine' : 'human';
    return r < this.falseNegative ? 'human' : 'machine';
  }
}
