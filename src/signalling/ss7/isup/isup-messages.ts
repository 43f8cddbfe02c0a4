import { Ss7DecodeError } from '../ss7-errors';
import { PARAM, PARAM_BY_CODE, ParamName } from './isup-params';

/**
 * ISUP messages as data (Q.763 table 4 onwards, YDN 038 for China): for each
 * message its code, mandatory fixed parameters with their lengths, mandatory
 * variable parameters, and whether it has an optional part. One encoder and
 * one decoder read the table.
 */
export type IsupMessageName =
  | 'IAM'
  | 'SAM'
  | 'COT'
  | 'ACM'
  | 'CON'
  | 'ANM'
  | 'REL'
  | 'SUS'
  | 'RES'
  | 'RLC'
  | 'CCR'
  | 'RSC'
  | 'BLO'
  | 'UBL'
  | 'BLA'
  | 'UBA'
  | 'GRS'
  | 'CGB'
  | 'CGU'
  | 'CGBA'
  | 'CGUA'
  | 'GRA'
  | 'CPG'
  | 'CFN'
  | 'CCL'
  | 'MPM'
  | 'OPR';

interface MessageDef {
  code: number;
  fixed: readonly [ParamName, number][];
  variable: readonly ParamName[];
  optional: boolean;
}

export const ISUP_MESSAGES: Record<IsupMessageName, MessageDef> = {
  IAM: {
    code: 0x01,
    fixed: [
      ['natureOfConnectionIndicators', 1],
      ['forwardCallIndicators', 2],
      ['callingPartyCategory', 1],
      ['transmissionMediumRequirement', 1],
    ],
    variable: ['calledPartyNumber'],
    optional: true,
  },
  SAM: { code: 0x02, fixed: [], variable: ['subsequentNumber'], optional: true },
  COT: { code: 0x05, fixed: [['continuityIndicators', 1]], variable: [], optional: false },
  ACM: { code: 0x06, fixed: [['backwardCallIndicators', 2]], variable: [], optional: true },
  CON: { code: 0x07, fixed: [['backwardCallIndicators', 2]], variable: [], optional: true },
  ANM: { code: 0x09, fixed: [], variable: [], optional: true },
  REL: { code: 0x0c, fixed: [], variable: ['causeIndicators'], optional: true },
  SUS: { code: 0x0d, fixed: [['suspendResumeIndicators', 1]], variable: [], optional: true },
  RES: { code: 0x0e, fixed: [['suspendResumeIndicators', 1]], variable: [], optional: true },
  RLC: { code: 0x10, fixed: [], variable: [], optional: true },
  CCR: { code: 0x11, fixed: [], variable: [], optional: false },
  RSC: { code: 0x12, fixed: [], variable: [], optional: false },
  BLO: { code: 0x13, fixed: [], variable: [], optional: false },
  UBL: { code: 0x14, fixed: [], variable: [], optional: false },
  BLA: { code: 0x15, fixed: [], variable: [], optional: false },
  UBA: { code: 0x16, fixed: [], variable: [], optional: false },
  GRS: { code: 0x17, fixed: [], variable: ['rangeAndStatus'], optional: false },
  CGB: { code: 0x18, fixed: [['circuitGroupSupervisionType', 1]], variable: ['rangeAndStatus'], optional: false },
  CGU: { code: 0x19, fixed: [['circuitGroupSupervisionType', 1]], variable: ['rangeAndStatus'], optional: false },
  CGBA: { code: 0x1a, fixed: [['circuitGroupSupervisionType', 1]], variable: ['rangeAndStatus'], optional: false },
  CGUA: { code: 0x1b, fixed: [['circuitGroupSupervisionType', 1]], variable: ['rangeAndStatus'], optional: false },
  GRA: { code: 0x29, fixed: [], variable: ['rangeAndStatus'], optional: false },
  CPG: { code: 0x2c, fixed: [['eventInformation', 1]], variable: [], optional: true },
  CFN: { code: 0x2f, fixed: [], variable: ['causeIndicators'], optional: true },
  // China only (YDN 038): calling party clearing (forward, answered state), metering pulse (backward), operator.
  CCL: { code: 0xfc, fixed: [], variable: [], optional: true },
  MPM: { code: 0xfd, fixed: [['chargeInformation', 2]], variable: [], optional: true },
  OPR: { code: 0xfe, fixed: [], variable: [], optional: true },
};

const BY_CODE = new Map(Object.entries(ISUP_MESSAGES).map(([k, v]) => [v.code, k as IsupMessageName]));

/** Longest variable or optional parameter accepted (the SIF is at most 272 octets). */
const MAX_PARAM = 255;

export interface IsupMessage {
  type: IsupMessageName;
  cic: number;
  params: Partial<Record<ParamName, Uint8Array>>;
  /** Optional parameters this decoder does not know, kept by code. */
  unknown?: [number, Uint8Array][];
}

/** Encodes CIC, type and parameters (what follows the routing label). */
export function encodeIsup(m: IsupMessage): Uint8Array {
  const def = ISUP_MESSAGES[m.type];
  const out: number[] = [m.cic & 0xff, (m.cic >> 8) & 0x0f, def.code];
  for (const [name, len] of def.fixed) {
    const v = m.params[name];
    if (!v || v.length !== len) throw new RangeError(`${m.type}: ${name} must be ${len} octet(s)`);
    out.push(...v);
  }
  const variables = def.variable.map((name) => {
    const v = m.params[name];
    if (!v) throw new RangeError(`${m.type}: ${name} is mandatory`);
    return v;
  });
  const optional: [number, Uint8Array][] = [];
  if (def.optional) {
    const mandatory = new Set<string>([...def.fixed.map(([n]) => n), ...def.variable]);
    for (const [name, v] of Object.entries(m.params) as [ParamName, Uint8Array][])
      if (!mandatory.has(name) && v) optional.push([PARAM[name], v]);
    for (const u of m.unknown ?? []) optional.push(u);
  }
  // Pointers: one per variable parameter plus one to the optional part, each relative to itself.
  const pointerCount = variables.length + (def.optional ? 1 : 0);
  const pointerBase = out.length;
  out.push(...new Array(pointerCount).fill(0));
  variables.forEach((v, i) => {
    out[pointerBase + i] = out.length - (pointerBase + i);
    out.push(v.length, ...v);
  });
  if (def.optional) {
    const at = pointerBase + variables.length;
    if (optional.length) {
      out[at] = out.length - at;
      for (const [code, v] of optional) out.push(code, v.length, ...v);
      out.push(PARAM.endOfOptional);
    }
  }
  return Uint8Array.from(out);
}

/** Decodes what follows the routing label; throws Ss7DecodeError naming the octet. */
export function decodeIsup(b: Uint8Array): IsupMessage {
  const fail = (reason: Ss7DecodeError['reason'], at: number, detail: string): never => {
    throw new Ss7DecodeError('isup', reason, at, detail);
  };
  if (b.length < 3) fail('MESSAGE_TOO_SHORT', b.length, `ISUP message of ${b.length} octets (at least 3)`);
  const cic = b[0] | ((b[1] & 0x0f) << 8);
  const type = BY_CODE.get(b[2]) ?? fail('UNKNOWN_MESSAGE', 2, `unknown ISUP message type 0x${b[2].toString(16)}`);
  const def = ISUP_MESSAGES[type];
  const m: IsupMessage = { type, cic, params: {} };
  let at = 3;
  for (const [name, len] of def.fixed) {
    if (at + len > b.length) fail('MESSAGE_TOO_SHORT', b.length, `${type}: ${name} cut short`);
    m.params[name] = b.slice(at, at + len);
    at += len;
  }
  const pointerBase = at;
  const pointerCount = def.variable.length + (def.optional ? 1 : 0);
  if (pointerBase + pointerCount > b.length) fail('MESSAGE_TOO_SHORT', b.length, `${type}: pointers cut short`);
  def.variable.forEach((name, i) => {
    const p = pointerBase + i;
    const start = p + b[p];
    if (b[p] === 0 || start >= b.length) fail('POINTER_OUT_OF_RANGE', p, `${type}: pointer to ${name} points outside the message`);
    const len = b[start];
    if (len === 0 || start + 1 + len > b.length)
      fail('PARAMETER_TOO_LONG', start, `${type}: ${name} of ${len} octets overruns the message`);
    m.params[name] = b.slice(start + 1, start + 1 + len);
  });
  if (def.optional) {
    const p = pointerBase + def.variable.length;
    if (b[p] !== 0) {
      let o = p + b[p];
      if (o >= b.length) fail('POINTER_OUT_OF_RANGE', p, `${type}: optional part pointer points outside the message`);
      for (let count = 0; b[o] !== PARAM.endOfOptional; count++) {
        if (o + 1 >= b.length || count > 64) fail('PARAMETER_MISSING', o, `${type}: optional part has no end`);
        const len = b[o + 1];
        if (len > MAX_PARAM || o + 2 + len > b.length)
          fail('PARAMETER_TOO_LONG', o, `${type}: optional parameter 0x${b[o].toString(16)} overruns the message`);
        const name = PARAM_BY_CODE.get(b[o]);
        const v = b.slice(o + 2, o + 2 + len);
        if (name) m.params[name] = v;
        else (m.unknown ??= []).push([b[o], v]);
        o += 2 + len;
        if (o >= b.length) fail('PARAMETER_MISSING', o, `${type}: optional part has no end`);
      }
    }
  }
  return m;
}
