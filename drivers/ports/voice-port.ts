import { TrunkLeg } from './media-port';

/**
 * Plays recorded voice to a trunk channel and collects the keys the callee
 * presses. On a channel's audio (DAHDI, or the userspace DAHDI in simulation):
 * src/voice/channel-voice-player.ts. The call-level model for virtual-time runs
 * without audio (simulator/ports/simulated-voice-player.ts) takes the clock's time
 * and asks a callee model for the keys.
 */
export interface PlayRequest {
  /** WAV or MP3 file (already checked and approved). */
  file: string;
  /** Played right after `file`, each time (an announcement put together: "agent", "8", "3"). */
  followedBy?: readonly string[];
  /** Times to play it (at least 1). */
  plays: number;
  /** Silence between two plays (ms; the player's default when absent). */
  gapMs?: number;
  /**
   * Collect keys while playing and for `timeoutSec` after (the first key); each
   * further key within `interKeySec` (default `timeoutSec`); stop at `maxKeys` or
   * at the terminator key (default '#', not kept; '' for none).
   */
  collectKeys?: { maxKeys: number; timeoutSec: number; interKeySec?: number; terminator?: string };
  /** A key stops the prompt (default true when keys are collected). */
  bargeIn?: boolean;
}

export interface PlayResult {
  keys: string;
  /** False when the call ended before the plays (and key time) were over. */
  completed: boolean;
  playedMs: number;
  /** Why key collection ended (when keys were collected). */
  keyEnd?: 'max-keys' | 'terminator' | 'first-key-timeout' | 'inter-key-timeout';
}

export interface VoicePlayer {
  /** Plays until done or until `hangup` resolves (the call ended), whichever is first. */
  play(leg: TrunkLeg, req: PlayRequest, hangup: Promise<unknown>): Promise<PlayResult>;
}
