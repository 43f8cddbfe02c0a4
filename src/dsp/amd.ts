/**
 * Answering-machine detection on the first seconds after an answer, with the
 * parameters Asterisk's app_amd made familiar (all in ms except word counts). A
 * person says a word or two and waits; a machine plays a long greeting. Decided on
 * per-frame levels only, so a caller can replay frames heard before the answer.
 */
export type AmdVerdict = 'HUMAN' | 'MACHINE' | 'NOTSURE';
export type AmdReason = 'INITIALSILENCE' | 'HUMAN' | 'LONGGREETING' | 'MAXWORDS' | 'MAXWORDLENGTH' | 'TOOLONG';

export interface AmdParameters {
  initialSilence: number;
  greeting: number;
  afterGreetingSilence: number;
  totalAnalysisTime: number;
  minimumWordLength: number;
  betweenWordsSilence: number;
  maximumNumberOfWords: number;
  maximumWordLength: number;
  /** Frames below this level are silence (dBm0). */
  silenceThresholdDbm0: number;
}

export const DEFAULT_AMD: AmdParameters = {
  initialSilence: 2500,
  greeting: 1500,
  afterGreetingSilence: 800,
  totalAnalysisTime: 5000,
  minimumWordLength: 100,
  betweenWordsSilence: 50,
  maximumNumberOfWords: 3,
  maximumWordLength: 5000,
  silenceThresholdDbm0: -45,
};

export interface AmdResult {
  verdict: AmdVerdict;
  reason: AmdReason;
  words: number;
  /** Analysis time when decided (ms). */
  atMs: number;
}

export class AnsweringMachineDetector {
  private readonly p: AmdParameters;
  private elapsed = 0;
  private silenceMs = 0;
  private voiceMs = 0;
  /** Voiced time since the first word began. */
  private greetingMs = 0;
  private words = 0;
  private inWord = false;
  private heardVoice = false;
  private decided: AmdResult | undefined;

  constructor(
    params: Partial<AmdParameters> = {},
    private readonly frameMs = 20,
  ) {
    this.p = { ...DEFAULT_AMD, ...params };
  }

  get result(): AmdResult | undefined {
    return this.decided;
  }

  /**
   * Feeds one frame's level; returns the verdict once it is reached (then always the
   * same). `silenceDbm0` raises the threshold on a noisy line (the analyser's floor).
   */
  push(levelDbm0: number, silenceDbm0 = this.p.silenceThresholdDbm0): AmdResult | undefined {
    if (this.decided) return this.decided;
    this.elapsed += this.frameMs;
    const voiced = levelDbm0 >= Math.max(this.p.silenceThresholdDbm0, silenceDbm0);
    if (voiced) {
      this.voiceMs += this.frameMs;
      if (this.heardVoice) this.greetingMs += this.frameMs;
      // A word starts once voice has lasted the minimum word length after a pause.
      if (!this.inWord && this.voiceMs >= this.p.minimumWordLength) {
        this.inWord = true;
        this.heardVoice = true;
        this.greetingMs += this.voiceMs;
        this.words++;
        if (this.words >= this.p.maximumNumberOfWords) return this.decide('MACHINE', 'MAXWORDS');
      }
      this.silenceMs = 0;
      if (this.inWord && this.voiceMs >= this.p.maximumWordLength) return this.decide('MACHINE', 'MAXWORDLENGTH');
      if (this.greetingMs >= this.p.greeting) return this.decide('MACHINE', 'LONGGREETING');
    } else {
      this.silenceMs += this.frameMs;
      if (this.silenceMs >= this.p.betweenWordsSilence) {
        this.inWord = false;
        this.voiceMs = 0;
      }
      if (!this.heardVoice && this.silenceMs >= this.p.initialSilence) return this.decide('MACHINE', 'INITIALSILENCE');
      if (this.heardVoice && this.silenceMs >= this.p.afterGreetingSilence) return this.decide('HUMAN', 'HUMAN');
    }
    if (this.elapsed >= this.p.totalAnalysisTime) return this.decide('NOTSURE', 'TOOLONG');
    return undefined;
  }

  private decide(verdict: AmdVerdict, reason: AmdReason): AmdResult {
    this.decided = { verdict, reason, words: this.words, atMs: this.elapsed };
    return this.decided;
  }
}
