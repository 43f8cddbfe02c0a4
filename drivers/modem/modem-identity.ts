import { Clock, systemClock } from '../../src/core/clock';
import { SerialLineOpener } from '../ports/serial-line-port';
import { AtCommandQueue } from './at-command-queue';
import { parseReport, SimState } from './at-reports';

/** What a module says about itself when asked (for `trunkpilot detect --query-modems`). */
export interface ModemIdentity {
  manufacturer?: string;
  model?: string;
  revision?: string;
  imei?: string;
  sim?: SimState;
}

/** The first line of a query's response that is not a report (bare text answers: +CGMI, +CGMM, ...). */
function bareAnswer(lines: readonly string[], prefix: string): string | undefined {
  for (const l of lines) {
    const text = l.startsWith(prefix) ? l.slice(prefix.length).trim() : l;
    if (text && parseReport(l) === undefined) return text.slice(0, 64);
  }
  return undefined;
}

/**
 * Opens a module's AT port, asks who it is (27.007 +CGMI/+CGMM/+CGMR/+CGSN and the SIM
 * state), and closes it. A question the module refuses or does not answer in time is left
 * out; a port that cannot be opened rejects with its SerialLinkError.
 */
export async function queryModemIdentity(
  opener: SerialLineOpener,
  path: string,
  opts: { clock?: Clock; timeoutMs?: number } = {},
): Promise<ModemIdentity> {
  const line = await opener.open(path);
  const queue = new AtCommandQueue(line, { clock: opts.clock ?? systemClock, defaultTimeoutMs: opts.timeoutMs ?? 2000 });
  const ask = async (cmd: string) => (await queue.send(cmd).catch(() => undefined))?.lines ?? [];
  const id: ModemIdentity = {};
  try {
    await ask('ATE0');
    id.manufacturer = bareAnswer(await ask('AT+CGMI'), '+CGMI:');
    id.model = bareAnswer(await ask('AT+CGMM'), '+CGMM:');
    id.revision = bareAnswer(await ask('AT+CGMR'), '+CGMR:');
    id.imei = (await ask('AT+CGSN')).map((l) => l.replace(/^\+CGSN:\s*/, '')).find((l) => /^\d{15}$/.test(l));
    for (const l of await ask('AT+CPIN?')) {
      const r = parseReport(l);
      if (r && r !== 'malformed' && r.type === 'sim') id.sim = r.state;
    }
  } finally {
    queue.close();
    await line.close();
  }
  return id;
}
