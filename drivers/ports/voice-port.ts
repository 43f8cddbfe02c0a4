import { TrunkLeg } from './media-port';

/**
 * Plays recorded voice to a trunk channel and collects the keys the callee
 * presses. The simulated player (simulator/ports/simulated-voice-player.ts) takes the
 * clock's time and asks a callee model for the keys; no board player exists yet.
 */
export interface PlayRequest {
  /** WAV or MP3 file (already checked and approved). */
  file: string;
  /** Times to play it (at least 1). */
  plays: number;
  /** Collect keys while playing and for `timeoutSec` after; stop at `maxKeys`. */
  collectKeys?: { maxKeys: number; timeoutSec: number };
}

export interface PlayResult {
  keys: string;
  /** False when the call ended before the plays (and key time) were over. */
  completed: boolean;
  playedMs: number;
}

export interface VoicePlayer {
  /** Plays until done or until `hangup` resolves (the call ended), whichever is first. */
  play(leg: TrunkLeg, req: PlayRequest, hangup: Promise<unknown>): Promise<PlayResult>;
}
