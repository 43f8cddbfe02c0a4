import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { TrunkLeg } from '../../drivers/ports/media-port';
import { VoicePlayer } from '../../drivers/ports/voice-port';

/**
 * The recorded messages a call hears outside a broadcast: the "all our agents are
 * busy" message of the 2 s rule, and the agent-number announcement ("agent 83 is
 * serving you") played to the customer just before the seat is put through. The
 * site sets them; a campaign may set its own for its calls.
 */
export interface AgentNumberAnnouncement {
  /**
   * What is announced, from the seat's number: each '?' takes one digit, the last
   * '?' the last digit, padded with 0 ('8?' -> seat 3 is "83", '8??' -> "803"); a
   * seat number with more digits than there are '?' is announced whole after the
   * fixed part.
   */
  pattern: string;
  /** Folder with 0.wav ... 9.wav (or .mp3). */
  digits: string;
  /** Played before and after the digits ("agent", "is serving you"). */
  before?: string;
  after?: string;
}

export interface CallPromptSettings {
  abandonMessage?: string;
  agentNumber?: AgentNumberAnnouncement;
}

const PATTERN = /^[0-9]*\?+$/;

/** The number announced for a seat. */
export function agentNumberFor(pattern: string, seatNumber: number): string {
  const fixed = pattern.replace(/\?+$/, '');
  const width = pattern.length - fixed.length;
  return fixed + String(seatNumber).padStart(width, '0');
}

export function checkAgentNumber(a: AgentNumberAnnouncement, where: string): void {
  if (!PATTERN.test(a.pattern))
    throw new InputError(`${where}.pattern`, `'${a.pattern}' is not digits followed by '?' (one per digit of the seat number), e.g. '8?'`);
  for (let d = 0; d <= 9; d++)
    if (!existsSync(join(a.digits, `${d}.wav`)) && !existsSync(join(a.digits, `${d}.mp3`)))
      throw new InputError(`${where}.digits`, `${a.digits} has no ${d}.wav or ${d}.mp3`);
}

export class CallPrompts {
  private readonly perCall = new Map<string, CallPromptSettings>();
  private readonly logger: Logger;

  constructor(
    private readonly player: VoicePlayer | undefined,
    private readonly site: CallPromptSettings,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
  }

  /** A campaign's own prompts for one call, until `ended` resolves. */
  useFor(callId: string, settings: CallPromptSettings, ended: Promise<unknown>): void {
    if (!settings.abandonMessage && !settings.agentNumber) return;
    this.perCall.set(callId, settings);
    void ended.then(() => this.perCall.delete(callId));
  }

  /** Plays the abandon message; resolves when it has played (or the call ended). Never throws. */
  async abandon(leg: TrunkLeg, ended: Promise<unknown>): Promise<void> {
    const file = this.perCall.get(leg.callId)?.abandonMessage ?? this.site.abandonMessage;
    if (!file || !this.player) return;
    await this.safely(leg, () => this.player!.play(leg, { file, plays: 1 }, ended));
  }

  /** Announces the seat's number to the customer; resolves when done. Never throws. */
  async announceSeat(leg: TrunkLeg, seatNumber: number, ended: Promise<unknown>): Promise<void> {
    const a = this.perCall.get(leg.callId)?.agentNumber ?? this.site.agentNumber;
    if (!a || !this.player) return;
    const digits = [...agentNumberFor(a.pattern, seatNumber)].map((d) => digitFile(a.digits, d));
    const files = [...(a.before ? [a.before] : []), ...digits, ...(a.after ? [a.after] : [])];
    await this.safely(leg, () => this.player!.play(leg, { file: files[0], followedBy: files.slice(1), plays: 1, gapMs: 0 }, ended));
  }

  private async safely(leg: TrunkLeg, play: () => Promise<unknown>): Promise<void> {
    try {
      await play();
    } catch (err) {
      // The caller must go on (to the seat, or to be hung up) whatever the prompt did.
      this.logger.error('prompt not played', { call: leg.callId, err: err instanceof Error ? err.message : String(err) });
    }
  }
}

function digitFile(dir: string, d: string): string {
  const wav = join(dir, `${d}.wav`);
  return existsSync(wav) ? wav : join(dir, `${d}.mp3`);
}
