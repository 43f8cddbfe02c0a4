import { Clock } from '../../src/core/clock';
import { TrunkLeg } from '../../drivers/ports/media-port';
import { PlayRequest, PlayResult, VoicePlayer } from '../../drivers/ports/voice-port';

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
    const oneSec = [req.file, ...(req.followedBy ?? [])].reduce((s, f) => s + this.opts.durationSec(f), 0);
    const playMs = oneSec * 1000 * Math.max(1, req.plays);
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
      const keyTimer =
        press && press.afterMs < totalMs
          ? clock.setTimer(press.afterMs, () => {
              keys = press.keys.slice(0, req.collectKeys!.maxKeys);
              if (keys.length >= req.collectKeys!.maxKeys) finish(true);
            })
          : undefined;
      void hangup.then(() => finish(false));
    });
  }
}
