/**
 * The one definition of how trunkpilot's analog ports are signalled in DAHDI: what
 * system.conf writes for them and what the runtime expects to find when it opens
 * them. FXO exchange lines are loop start (fxsls: FXS signalling, spoken by an FXO
 * port), as the mission and spec/telephony.md specify; the FXO engine does its own
 * disconnect supervision (battery, polarity, tones), so it does not need kewlstart.
 * Seat ports (FXS, agent phones) are kewlstart towards the phone.
 */
export const FXO_LINE_SIGNALLING = 'fxsls' as const;
export const FXS_SEAT_SIGNALLING = 'fxoks' as const;

export type FxoLineSignalling = typeof FXO_LINE_SIGNALLING;

/** How DAHDI (dahdi_cfg -v, /proc/dahdi) names each keyword, for messages. */
export const SIGNALLING_NAMES: Record<string, string> = {
  fxsls: 'FXS loop start',
  fxsks: 'FXS kewlstart',
  fxsgs: 'FXS ground start',
  fxoks: 'FXO kewlstart',
  fxols: 'FXO loop start',
};
