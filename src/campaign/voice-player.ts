import { Clock } from '../core/clock';
import { TrunkLeg } from '../seats/media-bridge';

/**
 * Plays recorded voice to a trunk channel and collects the keys the callee
 * presses. On a board the DAHDI driver implements it; the simulated player below
 * takes the clock's time and asks a callee model for the keys.
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

export interface SimulatedVoiceOptions {
  clock: Clock;
  /** Length of a file in seconds. */
  durationSec: (file: string) => number;
  /** What the callee on this leg presses (default nothing) and when, in ms from the start. */
  keysFor?: (leg: TrunkLeg) => { keys: string; afterMs: number } | undefined;
}

export class SimulatedVoicePlayer implements VoicePlayer {
  constructor(private readonly opts: SimulatedVoiceOptions) {}

  play(leg: TrunkLeg, req: PlayRequest, hangup: Promise<unknown>): Promise<PlayResult> {
    const clock = this.opts.clock;
    const started = clock.now();
    const playMs = this.opts.durationSec(req.file) * 1000 * Math.max(1, req.plays);
    const totalMs = playMs + (req.collectKeys ? req.collectKeys.timeoutSec * 1000 : 0);
    const press = req.collectKeys ? this.opts.keysFor?.(leg) : undefined;
    return new Promise((resolve) => {
      let done = false;
      let keys = '';
      const finish = (completed: boolean) => {
        if (done) return;
        done = true;
        timer.cancel();
        keyTimer?.cancel();
        resolve({ keys, completed, playedMs: clock.now() - started });
      };
      const timer = clock.setTimer(totalMs, () => finish(true));
      const keyTimer = press && press.afterMs < totalMs
        ? clock.setTimer(press.afterMs, () => {
          keys = press.keys.slice(0, req.collectKeys!.maxKeys);
          if (keys.length >= req.collectKeys!.maxKeys) finish(true);
        })
        : undefined;
      void hangup.then(() => finish(false));
    });
  }
}
