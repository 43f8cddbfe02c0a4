import { InputError } from '../../core/errors';

/**
 * Caller ID as China delivers it on analog lines (YDN 069): an FSK message between
 * the first and second ring (Bellcore-style SDMF 0x04 or MDMF 0x80 framing), or DTMF
 * before the first ring. spandsp checks the FSK checksum; this module reads fields.
 */
export interface CallerId {
  number?: string;
  name?: string;
  /** MMDDHHMM as sent. */
  dateTime?: string;
  /** Why the number is absent: 'O' out of area/unavailable, 'P' private. */
  absence?: string;
  form: 'fsk-sdmf' | 'fsk-mdmf' | 'dtmf';
}

const MDMF = 0x80;
const SDMF = 0x04;
const PARAM = { DATETIME: 0x01, NUMBER: 0x02, NUMBER_ABSENT: 0x04, NAME: 0x07, NAME_ABSENT: 0x08 } as const;

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/** Parses a checked FSK message: [type, length, body...] (no checksum byte). */
export function parseFskCallerId(msg: Uint8Array): CallerId {
  if (msg.length < 2) throw new InputError('caller-ID message', `too short (${msg.length} bytes)`);
  const type = msg[0];
  const len = msg[1];
  if (len + 2 > msg.length) throw new InputError('caller-ID message', `length byte says ${len}, only ${msg.length - 2} follow`);
  const body = msg.subarray(2, 2 + len);
  if (type === SDMF) {
    if (body.length < 8) throw new InputError('caller-ID SDMF', 'shorter than its date and time');
    const rest = ascii(body.subarray(8));
    const absent = rest === 'O' || rest === 'P';
    return {
      form: 'fsk-sdmf',
      dateTime: ascii(body.subarray(0, 8)),
      number: absent ? undefined : rest,
      absence: absent ? rest : undefined,
    };
  }
  if (type !== MDMF) throw new InputError('caller-ID message', `type 0x${type.toString(16)} is neither SDMF (0x04) nor MDMF (0x80)`);
  const id: CallerId = { form: 'fsk-mdmf' };
  for (let i = 0; i < body.length;) {
    const p = body[i];
    const plen = body[i + 1];
    if (plen === undefined || i + 2 + plen > body.length)
      throw new InputError('caller-ID MDMF', `parameter 0x${p.toString(16)} at byte ${i} runs past the message`);
    const value = ascii(body.subarray(i + 2, i + 2 + plen));
    if (p === PARAM.DATETIME) id.dateTime = value;
    else if (p === PARAM.NUMBER) id.number = value;
    else if (p === PARAM.NUMBER_ABSENT) id.absence = value;
    else if (p === PARAM.NAME) id.name = value;
    i += 2 + plen;
  }
  return id;
}

/** Builds an MDMF message (for the simulator's exchange). */
export function buildMdmfCallerId(fields: { number?: string; name?: string; dateTime?: string; absence?: string }): Uint8Array {
  const body: number[] = [];
  const add = (p: number, v: string | undefined) => {
    if (v === undefined) return;
    body.push(p, v.length, ...[...v].map((c) => c.charCodeAt(0) & 0xff));
  };
  add(PARAM.DATETIME, fields.dateTime);
  add(PARAM.NUMBER, fields.number);
  add(PARAM.NUMBER_ABSENT, fields.absence);
  add(PARAM.NAME, fields.name);
  return Uint8Array.from([MDMF, body.length, ...body]);
}

export function buildSdmfCallerId(dateTime: string, number: string): Uint8Array {
  const body = [...(dateTime + number)].map((c) => c.charCodeAt(0));
  return Uint8Array.from([SDMF, body.length, ...body]);
}

/**
 * Collects DTMF caller ID: a start code (A or D), the digits, an end code (C or #).
 * B followed by digits is an absence code. Returns the caller ID once complete.
 */
export class DtmfCallerIdCollector {
  private buffer = '';
  private collecting = false;

  push(digit: string): CallerId | undefined {
    if (digit === 'A' || digit === 'D' || digit === 'B') {
      this.collecting = true;
      this.buffer = digit;
      return undefined;
    }
    if (!this.collecting) return undefined;
    if (digit === 'C' || digit === '#') {
      this.collecting = false;
      const start = this.buffer[0];
      const digits = this.buffer.slice(1);
      return start === 'B' ? { form: 'dtmf', absence: digits } : { form: 'dtmf', number: digits };
    }
    this.buffer += digit;
    return undefined;
  }
}
