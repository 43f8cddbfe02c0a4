import { InputError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import { loadProfiles } from '../../provisioning/board-profile';
import { loadSite } from '../../provisioning/site-config';
import { openGateway } from '../../runtime/gateway';
import { CliIO } from '../cli-io';
import { parseCommandArgs, secondsOption } from '../options';
import { renderRows } from '../render';

const USAGE = `usage: trunkpilot dial --site FILE --group NAME --number DIGITS [--caller-id DIGITS]
                      [--ring-timeout SEC] [--hold SEC] [--ready-timeout SEC] [--profiles DIR] [--json] [--verbose]

Places one call on a provisioned site's trunk group, on the boards DAHDI presents:
waits for the group's spans to come into service, dials, holds an answered call for
--hold seconds (default 5), hangs up, and reports what happened. Exit 0 when the call
was answered, 3 when it ended otherwise, 1 on an error.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('dial', argv, {
        site: { type: 'string' },
        group: { type: 'string' },
        number: { type: 'string' },
        'caller-id': { type: 'string' },
        'ring-timeout': { type: 'string' },
        hold: { type: 'string' },
        'ready-timeout': { type: 'string' },
        profiles: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      }, USAGE);
  for (const required of ['site', 'group', 'number'] as const) {
    if (!values[required]) throw new InputError(`--${required}`, `is required\n${USAGE}`);
  }
  const ringTimeoutSec = secondsOption(values['ring-timeout'], 'ring-timeout', 45, 600);
  const holdSec = secondsOption(values.hold, 'hold', 5, 3600);
  const readySec = secondsOption(values['ready-timeout'], 'ready-timeout', 30, 600);
  const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });

  const loaded = loadSite(values.site!, loadProfiles(values.profiles));
  // The gateway's own composition root, trunks only: the same spans `trunkpilot run` opens.
  const gateway = await openGateway({ site: loaded, logger, trunksOnly: true });
  const trunks = gateway.trunks;
  try {
    const group = trunks.group(values.group!);
    if (!(await group.whenReady(readySec * 1000))) {
      const states = group.spans.map((s) => `span ${s.id}: link ${s.linkUp ? 'up' : 'down'}, ${s.idleCount()}/${s.channels.length} idle`).join('; ');
      io.stderr(`trunkpilot dial: trunk group '${values.group}' not in service after ${readySec} s (${states})\n`);
      return 1;
    }
    const result = await group.dial({ number: values.number!, callerId: values['caller-id'], ringTimeoutSec });
    let release;
    if (result.call) {
      await new Promise((r) => setTimeout(r, holdSec * 1000));
      result.call.hangup();
      release = await result.call.ended;
    }
    const report = { outcome: result.outcome, cause: result.cause, causeText: result.causeText, span: result.span, channel: result.channel, setupMs: result.setupMs, attempts: result.attempts, release };
    if (values.json) io.stdout(JSON.stringify(report) + '\n');
    else
      io.stdout(renderRows([
        ['outcome', result.outcome],
        ['cause', `${result.cause} (${result.causeText})`],
        ['span/channel', result.span === undefined ? '-' : `${result.span}/${result.channel}`],
        ['setup', `${result.setupMs} ms`],
        ...(release ? ([['released', `cause ${release.cause} by ${release.by}`]] as [string, string][]) : []),
      ]));
    return result.outcome === 'answered' ? 0 : 3;
  } finally {
    await gateway.close();
  }
}
