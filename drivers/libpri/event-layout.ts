/**
 * Byte offsets of the pri_event fields trunkpilot reads (x86_64, libpri 1.6).
 * event-layout.test.ts compiles native/pri-offsets.c against libpri.h and checks
 * every entry here, so a libpri upgrade that moves a field fails the tests.
 */
export const PRI_EVENT_LAYOUT = {
  sizeof: 2976,
  'restart.channel': 4,
  'restartack.channel': 4,
  'err.err': 4,
  'ring.channel': 4,
  'ring.callingnum': 276,
  'ring.callednum': 796,
  'ring.flexible': 1832,
  'ring.cref': 1836,
  'ring.complete': 1848,
  'ring.call': 1856,
  'hangup.channel': 4,
  'hangup.cause': 8,
  'hangup.cref': 12,
  'hangup.call': 16,
  'ringing.channel': 4,
  'ringing.progressmask': 16,
  'ringing.call': 24,
  'answer.channel': 4,
  'answer.progressmask': 16,
  'answer.call': 24,
  'proceeding.channel': 4,
  'proceeding.progressmask': 16,
  'proceeding.cause': 20,
  'proceeding.call': 24,
  'setup_ack.channel': 4,
  'setup_ack.call': 8,
} as const;

export const PRI_STRING_FIELD_LENGTH = 256;
