import { PlayResult } from '../../drivers/ports/voice-port';
import { DtmfReceiver } from '../../drivers/spandsp/dtmf';

/**
 * Collects the keys a callee presses on a trunk channel, from the channel's own
 * audio (spandsp's DTMF receiver), with the rules of an IVR menu:
 *  - keys pressed while the prompt plays count (and may stop it: barge-in);
 *  - after the prompt, the first key must come within `firstKeyMs`;
 *  - each further key within `interKeyMs` of the one before;
 *  - a terminator key (default '#') ends the input and is not kept;
 *  - `maxKeys` keys end it too.
 * Time is the audio's own: each block fed is 20 ms, so the rules hold in virtual
 * time as on a board.
 */
export interface KeyRules {
  maxKeys: number;
  firstKeyMs: number;
  interKeyMs: number;
  /** '' for none. */
  terminator: string;
}

export type KeyCollectorState = 'waiting' | 'done';
export type KeyEnd = NonNullable<PlayResult['keyEnd']>;

export class KeyCollector {
  private readonly receiver: DtmfReceiver;
  private collected = '';
  /** ms since the prompt ended, or since the last key if later; undefined while the prompt plays and no key came. */
  private quietMs: number | undefined;
  private ended: KeyEnd | undefined;

  constructor(
    private readonly rules: KeyRules,
    receiver?: DtmfReceiver,
  ) {
    this.receiver = receiver ?? new DtmfReceiver();
  }

  get keys(): string {
    return this.collected;
  }

  /** Why collection ended, once it has. */
  get end(): KeyEnd | undefined {
    return this.ended;
  }

  /** The prompt has ended: the first-key time starts (unless keys came already). */
  promptEnded(): void {
    if (this.quietMs === undefined) this.quietMs = 0;
  }

  /** Feeds one block of linear audio lasting `ms`; returns the keys it completed. */
  feed(samples: Int16Array, ms: number): string {
    if (this.ended) return '';
    const digits = this.receiver.feed(samples);
    let got = '';
    for (const d of digits) {
      if (this.ended) break;
      if (this.rules.terminator && d === this.rules.terminator) {
        this.ended = 'terminator';
        break;
      }
      this.collected += d;
      got += d;
      this.quietMs = 0;
      if (this.collected.length >= this.rules.maxKeys) this.ended = 'max-keys';
    }
    if (!digits && this.quietMs !== undefined) {
      this.quietMs += ms;
      const limit = this.collected ? this.rules.interKeyMs : this.rules.firstKeyMs;
      if (this.quietMs >= limit) this.ended = this.collected ? 'inter-key-timeout' : 'first-key-timeout';
    }
    return got;
  }

  close(): void {
    this.receiver.close();
  }
}
