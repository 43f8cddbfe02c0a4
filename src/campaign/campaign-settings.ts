import { InputError } from '../core/errors';
import { CallingWindow } from './calling-hours';
import { RetryRules } from './retry-rules';

/**
 * How a campaign dials ("group call task" settings).
 * - preview: a seat is reserved first, then its customer is dialled
 * - paced: the pacer decides how many lines to dial for the ready seats
 *   (predictive, fixed-ratio-R, progressive, vicidial-adaptive)
 * - broadcast: a recorded message is played N times and keys are collected; no seat
 */
export type CampaignMode = 'preview' | 'paced' | 'broadcast';

export interface BroadcastSettings {
  file: string;
  plays: number;
  /** Time allowed for the first key after the last play (s). */
  keyTimeoutSec: number;
  maxKeys: number;
  /** Time allowed between two keys (s; default keyTimeoutSec). */
  interKeySec?: number;
  /** Key that ends the input (default '#'; '' for none). */
  terminator?: string;
  /** A key stops the prompt (default true). */
  bargeIn?: boolean;
}

export interface CampaignSettings {
  name: string;
  mode: CampaignMode;
  /** Calls at once, 0 = no limit other than the lines; at most 999. */
  maxConcurrency: number;
  /** Ring time before giving up (s), default 45. */
  ringSec: number;
  callerIds: string[];
  /** Withhold the calling number on trunks that can (mobile trunks: CLIR). */
  withholdCallerId?: boolean;
  retryRules: RetryRules;
  callingHours: CallingWindow[];
  /** Least time between two calls to one number (s). */
  coolDownSec: number;
  /** An answered call waits at most this long for a seat (s). */
  abandonAfterSec: number;
  /** Played to a call no seat could take. */
  abandonMessage: string;
  /** The legal limit on abandoned / answered the pacer must hold. */
  abandonTarget: number;
  broadcast?: BroadcastSettings;
  /** Preview: how long the agent sees the contact before it is dialled (s). */
  previewSec: number;
  /**
   * Answering-machine detection on: each call's audio is analysed (where the
   * trunk can: E1 bearers, analog lines) and machines, faxes and announcements are
   * dropped before any seat; a verdict is waited for at most `maxAnalysisSec`
   * after the answer. Absent: off.
   */
  amd?: { maxAnalysisSec: number };
  /** Record connected calls, customer and agent (absent: not recorded). */
  recording?: { layout: 'stereo' | 'mixed' };
}

export const DEFAULT_SETTINGS: Omit<CampaignSettings, 'name' | 'mode' | 'retryRules'> = {
  maxConcurrency: 0,
  ringSec: 45,
  callerIds: [],
  callingHours: [],
  coolDownSec: 0,
  abandonAfterSec: 2,
  abandonMessage: 'abandon-message.wav',
  abandonTarget: 0.03,
  previewSec: 0,
};

/** Checks settings; every problem names its field. */
export function checkSettings(s: CampaignSettings): CampaignSettings {
  if (!Number.isInteger(s.maxConcurrency) || s.maxConcurrency < 0 || s.maxConcurrency > 999) {
    throw new InputError('max_concurrency', `must be a whole number 0-999 (0 = unlimited), got ${s.maxConcurrency}`);
  }
  if (!(s.ringSec >= 5 && s.ringSec <= 300)) throw new InputError('ring_sec', `must be 5-300 seconds, got ${s.ringSec}`);
  if (!(s.abandonTarget >= 0 && s.abandonTarget <= 1))
    throw new InputError('abandon_target', `must be a share 0-1, got ${s.abandonTarget}`);
  if (!(s.coolDownSec >= 0)) throw new InputError('cool_down_sec', `must not be negative, got ${s.coolDownSec}`);
  if (s.amd && !(s.amd.maxAnalysisSec >= 1 && s.amd.maxAnalysisSec <= 30))
    throw new InputError('amd.max_analysis_sec', `must be 1-30 seconds, got ${s.amd.maxAnalysisSec}`);
  if (s.mode === 'broadcast') {
    const b = s.broadcast;
    if (!b) throw new InputError('broadcast', 'a broadcast campaign needs a voice file and a play count');
    if (!/\.(wav|mp3)$/i.test(b.file)) throw new InputError('broadcast.file', `'${b.file}' is not a WAV or MP3 file`);
    if (!Number.isInteger(b.plays) || b.plays < 1 || b.plays > 10) throw new InputError('broadcast.plays', `must be 1-10, got ${b.plays}`);
    if (!(b.keyTimeoutSec >= 0)) throw new InputError('broadcast.key_timeout_sec', 'must not be negative');
  }
  return s;
}
