/**
 * Parser for one /proc/dahdi/N file: the span header line, the error counters under
 * it, and one line per channel. The layout is the one dahdi-base.c's seq_show prints.
 */
import { InputError } from '../core/errors';
import { DahdiAlarm, DahdiChannel, DahdiSpanCounters } from './types';

export interface ProcSpan {
  spanno: number;
  name: string;
  description: string;
  syncMaster: boolean;
  /** Tokens of the line configuration, e.g. ["CCS", "HDB3", "CRC4"]; empty when unconfigured. */
  lineconfig: string[];
  alarms: DahdiAlarm[];
  clockSource: boolean;
  counters: DahdiSpanCounters;
  channels: Omit<DahdiChannel, 'spanPosition'>[];
}

const ALARMS: readonly DahdiAlarm[] = ['BLUE', 'YELLOW', 'RED', 'LOOP', 'RECOVERING', 'NOTOPEN'];
const LINECONFIG_WORDS = new Set(['D4', 'ESF', 'AMI', 'B8ZS', 'CCS', 'HDB3', 'CRC4']);

/** Signalling names DAHDI prints, longest first so that "E&M-E1" wins over "E&M". */
const SIGNALLING_NAMES = [
  'Hardware-assisted HDLC',
  'SF (ToneOnly)',
  'DACS+RBS',
  'E&M-E1',
  'HDLCRAW',
  'HDLCFCS',
  'HDLCNET',
  'FXSLS',
  'FXSKS',
  'FXSGS',
  'FXOLS',
  'FXOKS',
  'FXOGS',
  'Clear',
  'MTP2',
  'Slave',
  'DACS',
  'CAS',
  'E&M',
  'Unconfigured',
];

const COUNTER_LINES: Record<string, keyof DahdiSpanCounters> = {
  'BPV count': 'bpv',
  'CRC4 error count': 'crc4',
  'E-bit error count': 'ebit',
  'FAS error count': 'fas',
  'IRQ misses': 'irqMisses',
  'Timing slips': 'timingSlips',
};

export function emptyCounters(): DahdiSpanCounters {
  return { bpv: 0, crc4: 0, ebit: 0, fas: 0, timingSlips: 0, irqMisses: 0 };
}

/** Parses the text of /proc/dahdi/N; `where` names the file in errors. */
export function parseProcDahdiSpan(text: string, where: string): ProcSpan {
  const lines = text.split('\n');
  const header = /^Span (\d+): (?:(\S+) )?"([^"]*)"(.*)$/.exec(lines[0] ?? '');
  if (!header) throw new InputError(`${where}:1`, `not a DAHDI span header: ${JSON.stringify(lines[0] ?? '')}`);
  const span: ProcSpan = {
    spanno: Number(header[1]),
    name: header[2] ?? '',
    description: header[3],
    syncMaster: false,
    lineconfig: [],
    alarms: [],
    clockSource: false,
    counters: emptyCounters(),
    channels: [],
  };
  for (const word of header[4].trim().split(/\s+/).filter(Boolean)) {
    if (word === '(MASTER)') span.syncMaster = true;
    else if (word === 'ClockSource') span.clockSource = true;
    else if ((ALARMS as readonly string[]).includes(word)) span.alarms.push(word as DahdiAlarm);
    else if (word.split('/').every((w) => LINECONFIG_WORDS.has(w))) span.lineconfig = word.split('/');
    else throw new InputError(`${where}:1`, `unexpected word '${word}' in the span header`);
  }
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const counter = /^\t([A-Za-z0-9 -]+): (\d+)$/.exec(line);
    if (counter && COUNTER_LINES[counter[1]]) {
      span.counters[COUNTER_LINES[counter[1]]] = Number(counter[2]);
      continue;
    }
    span.channels.push(parseChannelLine(line, `${where}:${i + 1}`));
  }
  return span;
}

function parseChannelLine(line: string, where: string): Omit<DahdiChannel, 'spanPosition'> {
  const m = /^\s*(\d+) ?(.*)$/.exec(line);
  if (!m) throw new InputError(where, `not a DAHDI channel line: ${JSON.stringify(line)}`);
  let rest = m[2];
  const channel: Omit<DahdiChannel, 'spanPosition'> = {
    channo: Number(m[1]),
    name: '',
    signalling: 'Unconfigured',
    reserved: false,
    inUse: false,
    alarms: [],
  };
  // The name is the first word unless the driver gave none and a signalling name starts the rest.
  const first = /^(\S+) ?/.exec(rest);
  if (first && !first[1].startsWith('(') && !startsWithSignalling(rest) && first[1] !== 'Reserved') {
    channel.name = first[1];
    rest = rest.slice(first[0].length);
  }
  const sig = startsWithSignalling(rest);
  if (sig) {
    channel.signalling = sig;
    rest = rest.slice(sig.length).trimStart();
  }
  rest = rest.replace(/^Master\s*/, '');
  if (rest.startsWith('Reserved')) {
    channel.reserved = true;
    rest = rest.slice('Reserved'.length).trimStart();
  }
  const ec = /\(EC: (.+) - (ACTIVE|INACTIVE)\)/.exec(rest);
  if (ec) {
    channel.echoCanceller = { name: ec[1], active: ec[2] === 'ACTIVE' };
    rest = rest.replace(ec[0], '');
  }
  if (rest.includes('(In use)')) {
    channel.inUse = true;
    rest = rest.replace('(In use)', '');
  }
  rest = rest.replace('(no pcm)', '');
  for (const word of rest.trim().split(/\s+/).filter(Boolean)) {
    if ((ALARMS as readonly string[]).includes(word)) channel.alarms.push(word as DahdiAlarm);
    else throw new InputError(where, `unexpected word '${word}' in a channel line`);
  }
  return channel;
}

function startsWithSignalling(text: string): string | undefined {
  return SIGNALLING_NAMES.find((s) => text === s || text.startsWith(s + ' '));
}
