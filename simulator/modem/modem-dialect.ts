import { ModemModel } from '../../drivers/modem/modem-profiles';

/** A call's state as a module reports it: 27.007 <stat> numbers, -1 for released. */
export interface DialectCall {
  idx: number;
  inbound: boolean;
  number: string;
  /** 0 active, 2 dialling, 3 alerting, 4 incoming, -1 released. */
  stat: 0 | 2 | 3 | 4 | -1;
  /** For the end report: Q.850/24.008 cause and seconds connected. */
  cause?: number;
  connectedSec?: number;
}

/** The result code a module prints when a call it placed ends, by cause. */
function endResultCode(cause: number): string {
  if (cause === 17) return 'BUSY';
  if (cause === 19) return 'NO ANSWER';
  return 'NO CARRIER';
}

/**
 * The lines each model prints when a call changes state, as the gateways spec describes
 * them: Quectel +QIND "ccinfo", SIMCom +CLCC with VOICE CALL: BEGIN/END, Huawei
 * ^ORIG/^CONF/^CONN/^CEND. `enabled` is false until the driver switched the reports on.
 */
export function callStateLines(model: ModemModel, c: DialectCall, enabled: boolean): string[] {
  const clccTail = `${c.idx},${c.inbound ? 1 : 0},${c.stat < 0 ? (model === 'quectel-ec2x' ? -1 : 6) : c.stat},0,0,"${c.number}",129`;
  const ended = c.stat === -1;
  const out: string[] = [];
  switch (model) {
    case 'quectel-ec2x':
      if (enabled) out.push(`+QIND: "ccinfo",${clccTail}`);
      break;
    case 'simcom-sim7600':
      if (enabled) out.push(`+CLCC: ${clccTail}`);
      if (c.stat === 0) out.push('VOICE CALL: BEGIN');
      if (ended && c.connectedSec !== undefined) out.push(`VOICE CALL: END: ${String(c.connectedSec).padStart(6, '0')}`);
      break;
    case 'huawei-e1x':
      if (c.stat === 2) out.push(`^ORIG:${c.idx},0`);
      if (c.stat === 3) out.push(`^CONF:${c.idx}`);
      if (c.stat === 0) out.push(`^CONN:${c.idx},0`);
      if (ended) out.push(`^CEND:${c.idx},${c.connectedSec ?? 0},104,${c.cause ?? 16}`);
      break;
  }
  if (ended && model !== 'huawei-e1x') out.push(endResultCode(c.cause ?? 16));
  return out;
}

/** The model's answer to its ICCID query. */
export function iccidLine(model: ModemModel, iccid: string): string {
  return model === 'quectel-ec2x' ? `+QCCID: ${iccid}` : model === 'simcom-sim7600' ? `+ICCID: ${iccid}` : `^ICCID: ${iccid}`;
}

/** How the model prints +CEER. */
export function ceerLine(model: ModemModel, text: string): string {
  return model === 'quectel-ec2x' ? `+CEER: "CC INFO","${text}"` : `+CEER: ${text}`;
}

export function dtmfLine(model: ModemModel, digit: string): string {
  if (model === 'quectel-ec2x') return `+QTONEDET: ${digit.charCodeAt(0)}`;
  if (model === 'simcom-sim7600') return `+RXDTMF: ${digit}`;
  return `^DDTMF: ${digit}`;
}

/**
 * What a module prints unprompted when its SIM is back (inserted again, or the
 * card re-read): the 27.007 +CPIN report every model sends, then SIMCom's phonebook
 * and SMS stores loading, or Huawei's ^SIMST (1: a valid SIM).
 */
export function simBackLines(model: ModemModel, sim: 'ready' | 'pin'): string[] {
  const cpin = `+CPIN: ${sim === 'ready' ? 'READY' : 'SIM PIN'}`;
  if (model === 'simcom-sim7600') return sim === 'ready' ? [cpin, 'SMS DONE', 'PB DONE'] : [cpin];
  if (model === 'huawei-e1x') return ['^SIMST: 1', cpin];
  return [cpin];
}
