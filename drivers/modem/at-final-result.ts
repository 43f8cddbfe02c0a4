import { AtFailureKind } from './errors';

/** A final result code: ends the command in flight (V.250 and 27.007). */
export type AtFinalResult = { kind: 'ok' } | { kind: 'connect' } | { kind: AtFailureKind; detail?: number | string };

/** Results that end any command. */
const ALWAYS_FINAL: readonly AtFinalResult['kind'][] = ['ok', 'error', 'cme-error', 'cms-error'];
/** Results that end a dial (ATD): elsewhere they are reports about a call already placed. */
export const DIAL_FINALS: readonly AtFinalResult['kind'][] = ['no-carrier', 'busy', 'no-answer', 'no-dialtone', 'connect'];

function errorDetail(text: string): number | string {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** What a line is as a final result code, whether or not it ends the current command. */
export function parseFinalResult(line: string): AtFinalResult | undefined {
  switch (line) {
    case 'OK':
      return { kind: 'ok' };
    case 'ERROR':
      return { kind: 'error' };
    case 'NO CARRIER':
      return { kind: 'no-carrier' };
    case 'BUSY':
      return { kind: 'busy' };
    case 'NO ANSWER':
      return { kind: 'no-answer' };
    case 'NO DIALTONE':
    case 'NO DIAL TONE':
      return { kind: 'no-dialtone' };
  }
  if (line.startsWith('CONNECT')) return { kind: 'connect' };
  if (line.startsWith('+CME ERROR:')) return { kind: 'cme-error', detail: errorDetail(line.slice(11)) };
  if (line.startsWith('+CMS ERROR:')) return { kind: 'cms-error', detail: errorDetail(line.slice(11)) };
  return undefined;
}

/** Whether `result` ends a command that also accepts `extraFinals` (a dial's). */
export function endsCommand(result: AtFinalResult, extraFinals: readonly AtFinalResult['kind'][] = []): boolean {
  return ALWAYS_FINAL.includes(result.kind) || extraFinals.includes(result.kind);
}
