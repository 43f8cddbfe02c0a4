/**
 * What the FXO engine needs from one analog loop-start line, whatever carries it: a
 * DAHDI fxsls channel on a board, or the simulator. Events arrive already decided
 * by the board (a ring is a ring, not a waveform); audio is 20 ms of A-law each way.
 */
export type HookState = 'on' | 'off';

export type AnalogPortEvent =
  /** The board's ring detector qualified ringing (voltage, frequency, polarity transitions). */
  | { type: 'ring-begin' }
  /** Ringing stopped (after the board's ring-off debounce). */
  | { type: 'ring-end' }
  /** Line polarity reversed (raw: the engine debounces it). */
  | { type: 'polarity' }
  /** Battery (exchange feed) appeared or went away. */
  | { type: 'battery'; present: boolean }
  /** 20 ms of audio from the line, A-law, 160 bytes. Delivered on- and off-hook. */
  | { type: 'audio'; frame: Uint8Array };

export interface AnalogPort {
  /** For logs: "fxo 3", "/dev/dahdi/chan/001/003". */
  readonly name: string;
  /** Whether the exchange battery is on the line now. */
  readonly batteryPresent: boolean;
  setHook(state: HookState): void;
  /** A hook flash of `ms` (on-hook that the exchange reads as a flash, not a clear). */
  flash(ms: number): void;
  /** 20 ms of A-law to the line. */
  writeAudio(frame: Uint8Array): void;
  /** Subscribes; returns the unsubscribe function. */
  onEvent(listener: (ev: AnalogPortEvent) => void): () => void;
  close(): Promise<void>;
}
