import koffi from 'koffi';
import { PRI_EVENT, Pointer } from './ffi';
import { PRI_EVENT_LAYOUT as L, PRI_STRING_FIELD_LENGTH } from './event-layout';

/** A libpri event, copied out of libpri's buffer (which the next call overwrites). */
export type PriEvent =
  | { type: 'dchan-up' }
  | { type: 'dchan-down' }
  | { type: 'restart'; channel: number | undefined }
  | { type: 'restart-ack'; channel: number | undefined }
  | { type: 'config-error'; message: string }
  | {
      type: 'ring';
      call: Pointer;
      channel: number | undefined;
      callingNumber: string;
      calledNumber: string;
      cref: number;
      complete: boolean;
    }
  | { type: 'proceeding' | 'progress'; call: Pointer; channel: number | undefined; inbandAudio: boolean; cause: number }
  | { type: 'ringing' | 'answer'; call: Pointer; channel: number | undefined; inbandAudio: boolean }
  | { type: 'setup-ack'; call: Pointer; channel: number | undefined }
  | { type: 'hangup-req' | 'hangup' | 'hangup-ack'; call: Pointer; channel: number | undefined; cause: number; cref: number }
  | { type: 'other'; code: number };

const INBAND = 1 << 3; // PRI_PROG_INBAND_AVAILABLE

/** B-channel number from libpri's encoded channel (low 8 bits); undefined for "any". */
export function decodeChannel(raw: number): number | undefined {
  if (raw === -1) return undefined;
  const ch = raw & 0xff;
  return ch === 0xff || ch === 0 ? undefined : ch;
}

/** Bytes to map for each event: the ring view reaches far into the union, the others stay small. */
const RING_BYTES = L['ring.call'] + 8;
const SMALL_BYTES = Math.max(L['hangup.call'], L['proceeding.call'], L['answer.call'], L['ringing.call'], L['setup_ack.call']) + 8;
const ERROR_BYTES = L['err.err'] + PRI_STRING_FIELD_LENGTH;

/** Reads one pri_event at `ptr` into a plain object. */
export function decodePriEvent(ptr: Pointer): PriEvent {
  const type = koffi.decode(ptr, 'int') as number;
  const bytes = type === PRI_EVENT.RING ? RING_BYTES : type === PRI_EVENT.CONFIG_ERR ? ERROR_BYTES : SMALL_BYTES;
  const view = new DataView(koffi.view(ptr, bytes));
  const int = (off: number) => view.getInt32(off, true);
  const ptrAt = (off: number) => view.getBigUint64(off, true);
  const str = (off: number) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset + off, PRI_STRING_FIELD_LENGTH);
    const end = bytes.indexOf(0);
    return Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString('latin1');
  };
  const e = int(0);
  switch (e) {
    case PRI_EVENT.DCHAN_UP:
      return { type: 'dchan-up' };
    case PRI_EVENT.DCHAN_DOWN:
      return { type: 'dchan-down' };
    case PRI_EVENT.RESTART:
      return { type: 'restart', channel: decodeChannel(int(L['restart.channel'])) };
    case PRI_EVENT.RESTART_ACK:
      return { type: 'restart-ack', channel: decodeChannel(int(L['restartack.channel'])) };
    case PRI_EVENT.CONFIG_ERR:
      return { type: 'config-error', message: str(L['err.err']) };
    case PRI_EVENT.RING:
      return {
        type: 'ring',
        call: ptrAt(L['ring.call']),
        channel: decodeChannel(int(L['ring.channel'])),
        callingNumber: str(L['ring.callingnum']),
        calledNumber: str(L['ring.callednum']),
        cref: int(L['ring.cref']),
        complete: int(L['ring.complete']) !== 0,
      };
    case PRI_EVENT.PROCEEDING:
    case PRI_EVENT.PROGRESS:
      return {
        type: e === PRI_EVENT.PROCEEDING ? 'proceeding' : 'progress',
        call: ptrAt(L['proceeding.call']),
        channel: decodeChannel(int(L['proceeding.channel'])),
        inbandAudio: (int(L['proceeding.progressmask']) & INBAND) !== 0,
        cause: int(L['proceeding.cause']),
      };
    case PRI_EVENT.RINGING:
      return {
        type: 'ringing',
        call: ptrAt(L['ringing.call']),
        channel: decodeChannel(int(L['ringing.channel'])),
        inbandAudio: (int(L['ringing.progressmask']) & INBAND) !== 0,
      };
    case PRI_EVENT.ANSWER:
      return {
        type: 'answer',
        call: ptrAt(L['answer.call']),
        channel: decodeChannel(int(L['answer.channel'])),
        inbandAudio: (int(L['answer.progressmask']) & INBAND) !== 0,
      };
    case PRI_EVENT.SETUP_ACK:
      return { type: 'setup-ack', call: ptrAt(L['setup_ack.call']), channel: decodeChannel(int(L['setup_ack.channel'])) };
    case PRI_EVENT.HANGUP_REQ:
    case PRI_EVENT.HANGUP:
    case PRI_EVENT.HANGUP_ACK:
      return {
        type: e === PRI_EVENT.HANGUP_REQ ? 'hangup-req' : e === PRI_EVENT.HANGUP ? 'hangup' : 'hangup-ack',
        call: ptrAt(L['hangup.call']),
        channel: decodeChannel(int(L['hangup.channel'])),
        cause: int(L['hangup.cause']),
        cref: int(L['hangup.cref']),
      };
    default:
      return { type: 'other', code: e };
  }
}
