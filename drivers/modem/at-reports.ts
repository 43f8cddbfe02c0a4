/**
 * What a modem's lines say about the modem and its calls, in one vocabulary whatever
 * the dialect: Quectel (+QIND "ccinfo"/"csq", +QTONEDET), SIMCom (+CLCC URCs,
 * VOICE CALL: BEGIN/END, +RXDTMF), Huawei (^ORIG ^CONF ^CONN ^CEND, ^RSSI, ^DDTMF),
 * and 27.007 (+CLCC, +CLIP, +CSQ, +CREG/+CEREG, +CPIN, +COPS, +CEER, RING).
 * Query responses and unsolicited codes go through the same parser, so a modem's
 * state is known the same way whichever one reported it.
 */
export type CallState = 'active' | 'held' | 'dialing' | 'alerting' | 'incoming' | 'waiting' | 'ended';
export type SimState = 'ready' | 'pin' | 'puk' | 'absent' | 'not-ready';
/** 27.007 <stat>: 0 not searching, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming. */
export type RegistrationState = 'unregistered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming';

export type ModemReport =
  | { type: 'ring' }
  | { type: 'clip'; number: string }
  /** idx undefined where the dialect does not say (SIMCom's VOICE CALL lines, a bare NO CARRIER). */
  | { type: 'call'; idx?: number; state: CallState; direction?: 'outbound' | 'inbound'; number?: string; cause?: number; source: string }
  | { type: 'signal'; rssi: number; ber?: number }
  | { type: 'registration'; state: RegistrationState; domain: 'cs' | 'eps' | 'ps' }
  | { type: 'sim'; state: SimState }
  | { type: 'operator'; name: string }
  | { type: 'dtmf'; digit: string }
  | { type: 'ceer'; cause?: number; text: string }
  | { type: 'imei'; imei: string }
  | { type: 'iccid'; iccid: string }
  | { type: 'boot' };

const CLCC_STATE: Record<number, CallState> = {
  0: 'active',
  1: 'held',
  2: 'dialing',
  3: 'alerting',
  4: 'incoming',
  5: 'waiting',
  6: 'ended',
  7: 'ended',
};
const REG: Record<number, RegistrationState> = { 0: 'unregistered', 1: 'home', 2: 'searching', 3: 'denied', 4: 'unknown', 5: 'roaming' };

/** Splits "a,\"b,c\",d" on commas outside quotes and strips the quotes. */
export function atFields(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function int(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

function after(line: string, prefix: string): string {
  return line.slice(prefix.length).trim();
}

/** +CLCC: idx,dir,stat,mode,mpty[,number,type] (also the tail of +QIND: "ccinfo"). */
function clcc(fields: string[], source: string): ModemReport | null | undefined {
  const idx = int(fields[0]);
  const dir = int(fields[1]);
  const stat = int(fields[2]);
  if (idx === undefined || dir === undefined || stat === undefined) return null;
  // Quectel reports a released call as stat -1.
  const state = stat < 0 ? 'ended' : CLCC_STATE[stat];
  if (!state) return null;
  const mode = int(fields[3]);
  if (mode !== undefined && mode !== 0) return undefined; // 0 voice; data and fax calls are not ours
  return { type: 'call', idx, state, direction: dir === 1 ? 'inbound' : 'outbound', number: fields[5] || undefined, source };
}

function registration(rest: string, domain: 'cs' | 'eps' | 'ps'): ModemReport | undefined {
  const f = atFields(rest);
  // Query response "+CREG: n,stat[,lac,ci]" vs URC "+CREG: stat[,lac,ci]": a quoted
  // second field (the LAC) marks the URC form.
  const statField = f.length === 1 || (f.length >= 2 && /^"/.test(rest.split(',')[1]?.trim() ?? '')) ? f[0] : f[1];
  const stat = int(statField);
  if (stat === undefined || !REG[stat]) return undefined;
  return { type: 'registration', state: REG[stat], domain };
}

function sim(rest: string): ModemReport | undefined {
  if (rest === 'READY') return { type: 'sim', state: 'ready' };
  if (rest === 'SIM PIN') return { type: 'sim', state: 'pin' };
  if (rest === 'SIM PUK') return { type: 'sim', state: 'puk' };
  if (rest === 'NOT INSERTED' || rest === 'SIM REMOVED' || rest === 'NOT READY')
    return { type: 'sim', state: rest === 'NOT READY' ? 'not-ready' : 'absent' };
  return undefined;
}

/**
 * The report a line carries, or undefined for lines that are not reports (echo,
 * bare query output such as an IMEI, final results: see parseFinalResult). A line with
 * a known prefix that does not parse returns 'malformed'.
 */
export function parseReport(line: string): ModemReport | 'malformed' | undefined {
  if (line === 'RING') return { type: 'ring' };
  if (line === 'RDY' || line === '^BOOT' || line === 'START') return { type: 'boot' };
  if (line === 'VOICE CALL: BEGIN') return { type: 'call', state: 'active', source: 'VOICE CALL' };
  if (line.startsWith('VOICE CALL: END')) return { type: 'call', state: 'ended', source: 'VOICE CALL' };
  if (line === 'NO CARRIER') return { type: 'call', state: 'ended', cause: 16, source: 'NO CARRIER' };
  if (line === 'BUSY') return { type: 'call', state: 'ended', cause: 17, source: 'BUSY' };
  if (line === 'NO ANSWER') return { type: 'call', state: 'ended', cause: 19, source: 'NO ANSWER' };
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = line.slice(0, colon + 1);
  const rest = after(line, prefix);
  const f = atFields(rest);
  const r = parsePrefixed(prefix, rest, f);
  return r === null ? 'malformed' : r;
}

/** undefined: not a report; null: a report's prefix that did not parse. */
function parsePrefixed(prefix: string, rest: string, f: string[]): ModemReport | null | undefined {
  switch (prefix) {
    case '+CLIP:':
      return f[0] !== undefined ? { type: 'clip', number: f[0] } : null;
    case '+CLCC:':
      return clcc(f, '+CLCC');
    case '+QIND:':
      if (f[0] === 'ccinfo') return clcc(f.slice(1), '+QIND ccinfo');
      if (f[0] === 'csq') return int(f[1]) !== undefined ? { type: 'signal', rssi: int(f[1])!, ber: int(f[2]) } : null;
      return undefined; // other indications (act, SMS DONE, ...) say nothing we use
    case '+CSQ:':
      return int(f[0]) !== undefined ? { type: 'signal', rssi: int(f[0])!, ber: int(f[1]) } : null;
    case '^RSSI:':
      return int(f[0]) !== undefined ? { type: 'signal', rssi: int(f[0])! } : null;
    case '+CREG:':
      return registration(rest, 'cs') ?? null;
    case '+CEREG:':
      return registration(rest, 'eps') ?? null;
    case '+CGREG:':
      return registration(rest, 'ps') ?? null;
    case '+CPIN:':
      return sim(rest) ?? null;
    case '+COPS:':
      return f.length >= 3 ? { type: 'operator', name: f[2] } : f.length === 1 ? { type: 'operator', name: '' } : null;
    case '^ORIG:':
      return int(f[0]) !== undefined ? { type: 'call', idx: int(f[0]), state: 'dialing', direction: 'outbound', source: '^ORIG' } : null;
    case '^CONF:':
      return int(f[0]) !== undefined ? { type: 'call', idx: int(f[0]), state: 'alerting', direction: 'outbound', source: '^CONF' } : null;
    case '^CONN:':
      return int(f[0]) !== undefined ? { type: 'call', idx: int(f[0]), state: 'active', source: '^CONN' } : null;
    case '^CEND:': {
      // ^CEND: idx,duration,end_status,cc_cause (cc_cause absent when the network never answered the setup)
      const idx = int(f[0]);
      if (idx === undefined) return null;
      return { type: 'call', idx, state: 'ended', cause: int(f[3]), source: '^CEND' };
    }
    case '+QTONEDET:': {
      const code = int(f[0]);
      return code !== undefined && code > 0 && code < 128 ? { type: 'dtmf', digit: String.fromCharCode(code) } : null;
    }
    case '+RXDTMF:':
    case '^DDTMF:':
    case '+DTMF:':
      return /^[0-9*#A-D]$/.test(f[0]) ? { type: 'dtmf', digit: f[0] } : null;
    case '+CEER:':
      return ceer(f);
    case '+QCCID:':
    case '+ICCID:':
    case '+CICCID:':
    case '+CCID:':
    case '^ICCID:':
      return /^[0-9A-Fa-f]{18,22}$/.test(f[0]) ? { type: 'iccid', iccid: f[0] } : null;
    case '+CGSN:':
      return /^\d{15}$/.test(f[0]) ? { type: 'imei', imei: f[0] } : null;
    default:
      return undefined;
  }
}

/** +CEER text as 3GPP TS 24.008 words it (its cause numbers are Q.850's). */
const CEER_TEXT: Record<string, number> = {
  'unassigned (unallocated) number': 1,
  'unassigned number': 1,
  'no route to destination': 3,
  'subscriber absent': 20,
  'normal call clearing': 16,
  'user busy': 17,
  'no user responding': 18,
  'user alerting, no answer': 19,
  'no answer': 19,
  'call rejected': 21,
  'number changed': 22,
  'destination out of order': 27,
  'invalid number format': 28,
  'invalid number format (incomplete number)': 28,
  'normal, unspecified': 31,
  'no circuit/channel available': 34,
  'network out of order': 38,
  'temporary failure': 41,
  'switching equipment congestion': 42,
  'requested circuit/channel not available': 44,
  'resources unavailable, unspecified': 47,
  'operator determined barring': 8,
  'outgoing calls barred within cug': 53,
  'bearer capability not presently available': 58,
  'recovery on timer expiry': 102,
  'interworking, unspecified': 127,
};

function ceer(f: string[]): ModemReport {
  // Quectel: +CEER: "CC INFO","Normal call clearing"; others: +CEER: <text> or a number.
  const text = (f.length > 1 ? f[f.length - 1] : (f[0] ?? '')).trim();
  const numeric = int(text);
  const known = numeric ?? CEER_TEXT[text.toLowerCase()] ?? CEER_TEXT[text.toLowerCase().replace(/^cause \d+ - /, '')];
  return { type: 'ceer', cause: known, text };
}

const UNSOLICITED_PREFIXES = [
  '+CLIP:',
  '+QIND:',
  '^ORIG:',
  '^CONF:',
  '^CONN:',
  '^CEND:',
  '^RSSI:',
  '+QTONEDET:',
  '+RXDTMF:',
  '^DDTMF:',
  '^MODE:',
  '^SIMST:',
  '^SRVST:',
  '+CMTI:',
  '+CUSD:',
  'VOICE CALL:',
];
const UNSOLICITED_LINES = [
  'RING',
  'RDY',
  '^BOOT',
  'START',
  'NO CARRIER',
  'BUSY',
  'NO ANSWER',
  'SMS DONE',
  'PB DONE',
  'CALL READY',
  'SMS READY',
];

/** Lines only ever sent unsolicited: never part of a command's response, whenever they arrive. */
export function isUnsolicitedOnly(line: string): boolean {
  return UNSOLICITED_LINES.includes(line) || UNSOLICITED_PREFIXES.some((p) => line.startsWith(p));
}
