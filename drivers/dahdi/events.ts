/**
 * DAHDI channel events (DAHDI_GETEVENT) as typed values. The numbers are
 * <dahdi/user.h>'s DAHDI_EVENT_*; the test checks them against the header.
 */
export const DAHDI_EVENT = {
  NONE: 0,
  ONHOOK: 1,
  RINGOFFHOOK: 2,
  WINKFLASH: 3,
  ALARM: 4,
  NOALARM: 5,
  ABORT: 6,
  OVERRUN: 7,
  BADFCS: 8,
  DIALCOMPLETE: 9,
  RINGERON: 10,
  RINGEROFF: 11,
  HOOKCOMPLETE: 12,
  BITSCHANGED: 13,
  PULSE_START: 14,
  TIMER_EXPIRED: 15,
  TIMER_PING: 16,
  POLARITY: 17,
  RINGBEGIN: 18,
  EC_DISABLED: 19,
  REMOVED: 20,
  NEONMWI_ACTIVE: 21,
  NEONMWI_INACTIVE: 22,
  TX_CED_DETECTED: 23,
  RX_CED_DETECTED: 24,
  TX_CNG_DETECTED: 25,
  RX_CNG_DETECTED: 26,
  EC_NLP_DISABLED: 27,
  EC_NLP_ENABLED: 28,
  READ_OVERRUN: 29,
  WRITE_UNDERRUN: 30,
  PULSEDIGIT: 1 << 16,
  DTMFDOWN: 1 << 17,
  DTMFUP: 1 << 18,
} as const;

type SimpleEventName = Exclude<keyof typeof DAHDI_EVENT, 'NONE' | 'PULSEDIGIT' | 'DTMFDOWN' | 'DTMFUP'>;
export type DahdiSimpleEventType =
  | 'onhook'
  | 'ringoffhook'
  | 'winkflash'
  | 'alarm'
  | 'noalarm'
  | 'abort'
  | 'overrun'
  | 'badfcs'
  | 'dialcomplete'
  | 'ringeron'
  | 'ringeroff'
  | 'hookcomplete'
  | 'bitschanged'
  | 'pulsestart'
  | 'timerexpired'
  | 'timerping'
  | 'polarity'
  | 'ringbegin'
  | 'ecdisabled'
  | 'removed'
  | 'neonmwiactive'
  | 'neonmwiinactive'
  | 'txceddetected'
  | 'rxceddetected'
  | 'txcngdetected'
  | 'rxcngdetected'
  | 'ecnlpdisabled'
  | 'ecnlpenabled'
  | 'readoverrun'
  | 'writeunderrun';

export type DahdiEvent =
  | { type: DahdiSimpleEventType; code: number }
  | { type: 'pulsedigit' | 'dtmfdown' | 'dtmfup'; code: number; digit: string }
  | { type: 'unknown'; code: number };

const SIMPLE = new Map<number, DahdiSimpleEventType>();
for (const [name, code] of Object.entries(DAHDI_EVENT) as [keyof typeof DAHDI_EVENT, number][]) {
  if (name === 'NONE' || code >= 1 << 16) continue;
  SIMPLE.set(code, (name as SimpleEventName).toLowerCase().replace(/_/g, '') as DahdiSimpleEventType);
}

/** Decodes one DAHDI_GETEVENT value (never DAHDI_EVENT_NONE). */
export function decodeDahdiEvent(code: number): DahdiEvent {
  const simple = SIMPLE.get(code);
  if (simple) return { type: simple, code };
  const digit = String.fromCharCode(code & 0xffff);
  if (code & DAHDI_EVENT.PULSEDIGIT) return { type: 'pulsedigit', code, digit };
  if (code & DAHDI_EVENT.DTMFDOWN) return { type: 'dtmfdown', code, digit };
  if (code & DAHDI_EVENT.DTMFUP) return { type: 'dtmfup', code, digit };
  return { type: 'unknown', code };
}
