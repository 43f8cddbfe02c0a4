import { TrunkCall } from '../controller/trunk-call';

/**
 * Answering-machine detection: listens to the first moments of an answered call
 * and says whether a person or a machine picked up. A call taken for a machine is
 * dropped without reaching a seat (and, when it was a person, counts as abandoned
 * under Ofcom's rule). The simulator implements it from the callee model with
 * configured error rates; a board implementation would analyse the audio.
 */
export type AnswerKind = 'human' | 'machine';

export interface AnswerClassifier {
  classify(call: TrunkCall): Promise<AnswerKind>;
}
